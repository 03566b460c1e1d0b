import { createOperator, expect, signInOverHttp, test } from '../support/fixtures';

// The audit integrity page: an auditor sees the head to anchor, verifies the chain and sees
// the verification recorded with their name; a broken chain names the event; roles without
// audit:read are told the page is not for them. (Tampering itself is proven against the
// database in lib/audit/audit-chain.integration.test.ts; the shared e2e database stays whole.)

const HEX64 = /^[0-9a-f]{64}$/;

test('an auditor verifies the chain now and sees it recorded as theirs, intact', async ({ page }) => {
  test.slow(); // verifies every event the whole suite has written to the shared database
  const auditor = await createOperator('auditor');
  await signInOverHttp(page.request, auditor);
  await page.goto('/admin/audit-integrity');
  await expect(page.getByRole('heading', { name: 'Audit integrity' })).toBeVisible();

  const head = page.getByRole('region', { name: 'Chain head' });
  await expect(head.getByRole('link', { name: /^\d+$/ })).toBeVisible();
  const hash = await head.locator('dd.font-mono').first().textContent();
  expect(hash?.replace(/Copy.*$/, '')).toMatch(HEX64);
  await expect(page.getByRole('button', { name: 'Copy head hash' })).toBeVisible();

  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Intact: [\d,]+ events verified\./ })).toBeVisible({ timeout: 30_000 });
  const last = page.getByRole('region', { name: 'Last verification' });
  await expect(last).toContainText('Intact');
  await expect(last).toContainText(`user:${auditor.email}`);
  await expect(last.getByRole('link', { name: /^event \d+$/ }).last()).toHaveAttribute('href', /^\/audit\?event=\d+$/);
  await expect(page.getByText('npm run --silent cli -- audit head --json', { exact: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/audit-integrity.png', fullPage: true });
});

test('a broken chain names the first broken event and links to it', async ({ page }) => {
  await signInOverHttp(page.request, await createOperator('auditor'));
  // The server's answer for a chain broken at event 41; the real detection is tested against PostgreSQL.
  await page.route('**/api/v1/audit/verify', (route) =>
    route.request().method() === 'GET'
      ? route.fulfill({
          json: {
            head: { lastId: '120', lastHash: 'ab'.repeat(32), events: 120 },
            lastVerification: {
              eventId: '120', at: new Date().toISOString(), actor: 'system:cli (ops@db1)',
              verification: { ok: false, brokenAt: '41', kind: 'hash_mismatch', expected: 'cd'.repeat(32), actual: 'ef'.repeat(32), checked: 40, detail: 'event 41 was changed after it was written: its content no longer matches its hash' },
            },
          },
        })
      : route.continue(),
  );
  await page.goto('/admin/audit-integrity');
  const last = page.getByRole('region', { name: 'Last verification' });
  await expect(last).toContainText('Broken');
  await expect(last.getByRole('link', { name: 'event 41' })).toHaveAttribute('href', '/audit?event=41');
  await expect(last).toContainText('hash_mismatch');
  await expect(last).toContainText('ef'.repeat(32));
  await expect(last).toContainText('system:cli (ops@db1)');
  await page.screenshot({ path: 'test-results/audit-integrity-broken.png', fullPage: true });
});

test('roles without audit:read are told the page is not for them; an operator cannot verify over the API', async ({ page }) => {
  const operator = await createOperator('operator');
  await signInOverHttp(page.request, operator);
  await page.goto('/admin/audit-integrity');
  await expect(page.getByRole('heading', { name: /You don't have access to this page/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Verify now' })).toHaveCount(0);
  const origin = new URL(page.url()).origin;
  expect((await page.request.post('/api/v1/audit/verify', { headers: { origin } })).status()).toBe(403);
});
