import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { createOperator, expect, seedDeadLetters, signInOverHttp, test } from '../support/fixtures';

// Rules an admin adds on the Redaction page mask values for viewers (page and API alike);
// auditors still read them. Patterns are unique to this run so other specs see no masks.

const hex = () => randomBytes(4).toString('hex');
// State-changing API calls with a session cookie must say they come from the console (CSRF).
const sameOrigin = { origin: process.env.E2E_BASE_URL! };

async function addRule(page: Page, kind: 'JSON path (body)' | 'Header name', pattern: string) {
  await page.getByLabel('Kind').selectOption({ label: kind });
  await page.getByLabel('Pattern').fill(pattern);
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('Added');
}

test('an admin adds rules; a viewer sees [redacted] on the page and over the API, never the values', async ({ page, browser, admin: _ }) => {
  // Four roles, three browser pages and a dead letter on the real broker.
  test.setTimeout(180_000);
  const field = `pan_${hex()}`;
  const header = `X-Card-Token-${hex()}`;
  const secretCard = `4111-${hex()}-card`;
  const secretToken = `tok-${hex()}-secret`;
  const messageId = `redaction-${hex()}`;
  const seeded = await seedDeadLetters('redaction', [{
    body: JSON.stringify({ order: 42, card: { [field]: secretCard, exp: '12/30' } }),
    contentType: 'application/json', messageId, headers: { [header]: secretToken, 'x-visible': 'plain-value' },
  }]);
  const id = seeded.idOf(messageId);
  const pages: Page[] = [];
  try {
    // Admin: a bad path is refused inline, before any request; good rules are listed.
    await page.goto('/admin/redaction');
    await page.getByLabel('Pattern').fill('$.card number');
    await expect(page.getByText('invalid JSON path "$.card number": unexpected " "')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add rule' })).toBeDisabled();
    await addRule(page, 'JSON path (body)', `$.card.${field}`);
    await addRule(page, 'Header name', header);
    const rules = page.getByRole('table', { name: 'Redaction rules' });
    await expect(rules.getByRole('row').filter({ hasText: `$.card.${field}` })).toContainText('JSON path');
    await expect(rules.getByRole('row').filter({ hasText: header.toLowerCase() })).toContainText('Header');

    // The same rule again is a conflict, in the server's words.
    await addRuleExpectingError(page, header.toUpperCase(), 'already exists');

    // Viewer: the page and the API show masks and say so.
    const viewer = await browser.newPage();
    pages.push(viewer);
    await signInOverHttp(viewer.request, await createOperator('viewer'));
    await viewer.goto(`/messages/${id}`);
    const body = viewer.getByRole('region', { name: 'Body' });
    await expect(body).toContainText('[redacted]');
    await expect(body.getByRole('note')).toContainText(`Values at $.card.${field} are shown as [redacted]`);
    await expect(body).toContainText('12/30');
    const headers = viewer.getByRole('region', { name: 'Headers' });
    await expect(headers).toContainText('plain-value');
    await expect(headers.getByRole('note')).toContainText('messages:read-sensitive');
    for (const html of [await viewer.content(), await (await viewer.request.get(`/messages/${id}`)).text()]) {
      expect(html).not.toContain(secretCard);
      expect(html).not.toContain(secretToken);
    }
    const detail = await viewer.request.get(`/api/v1/messages/${id}`);
    expect(detail.ok()).toBe(true);
    const detailText = await detail.text();
    expect(detailText).not.toContain(secretCard);
    expect(detailText).not.toContain(secretToken);
    expect(JSON.parse(detailText)).toMatchObject({ redacted: { paths: [`$.card.${field}`], headers: [header] } });
    const download = await viewer.request.get(`/api/v1/messages/${id}/body`);
    expect(download.headers()['x-dlq-redacted']).toBe('true');
    expect(JSON.parse(await download.text())).toEqual({ order: 42, card: { [field]: '[redacted]', exp: '12/30' } });
    const revision = await (await viewer.request.get(`/api/v1/messages/${id}/revisions/0`)).text();
    expect(revision).not.toContain(secretCard);
    expect(revision).not.toContain(secretToken);

    // Operator: Edit says why it cannot be used.
    const operator = await browser.newPage();
    pages.push(operator);
    await signInOverHttp(operator.request, await createOperator('operator'));
    await operator.goto(`/messages/${id}`);
    const edit = operator.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: /^Edit/ });
    await expect(edit).toHaveAttribute('aria-disabled', 'true');
    await expect(edit).toHaveAccessibleDescription(/needs the messages:read-sensitive permission/);

    // Auditor: everything in clear.
    const auditor = await browser.newPage();
    pages.push(auditor);
    await signInOverHttp(auditor.request, await createOperator('auditor'));
    const clear = await auditor.request.get(`/api/v1/messages/${id}/body`);
    expect(clear.headers()['x-dlq-redacted']).toBeUndefined();
    expect(await clear.text()).toContain(secretCard);
    expect(await (await auditor.request.get(`/api/v1/messages/${id}`)).text()).toContain(secretToken);
    await auditor.goto('/admin/redaction');
    await expect(auditor.getByRole('table', { name: 'Redaction rules' })).toContainText(`$.card.${field}`);
    await expect(auditor.getByRole('button', { name: 'Add rule' })).toHaveCount(0);

    // Admin deletes the rules (one more click each): the viewer reads in clear again.
    for (const pattern of [`$.card.${field}`, header.toLowerCase()]) {
      const row = rules.getByRole('row').filter({ hasText: pattern });
      await row.getByRole('button', { name: 'Delete' }).click();
      await row.getByRole('button', { name: 'Delete' }).click();
      await expect(page.getByRole('main').getByRole('status')).toHaveText(`Deleted rule ${pattern}.`);
    }
    expect(await (await viewer.request.get(`/api/v1/messages/${id}/body`)).text()).toContain(secretCard);
  } finally {
    await Promise.all(pages.map((p) => p.close()));
    await removeRules(page, [`$.card.${field}`, header.toLowerCase()]);
    await seeded.cleanup();
  }
});

test('a viewer cannot open the rules page or change rules over the API', async ({ page }) => {
  await signInOverHttp(page.request, await createOperator('viewer'));
  await page.goto('/admin/redaction');
  await expect(page.getByRole('heading', { name: /You don't have access to this page/ })).toBeVisible();
  expect((await page.request.get('/api/v1/redaction-rules')).status()).toBe(403);
  const post = await page.request.post('/api/v1/redaction-rules', { data: { kind: 'header', pattern: `x-${hex()}` }, headers: sameOrigin });
  expect(post.status()).toBe(403);
  expect(await post.text()).toContain('redaction:manage');
});

async function addRuleExpectingError(page: Page, pattern: string, error: string) {
  await page.getByLabel('Kind').selectOption({ label: 'Header name' });
  await page.getByLabel('Pattern').fill(pattern);
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText(error);
}

/** Leaves no rule of this spec behind, whatever failed. */
async function removeRules(page: Page, patterns: string[]) {
  const listed = await page.request.get('/api/v1/redaction-rules');
  if (!listed.ok()) return;
  const { items } = (await listed.json()) as { items: { id: string; pattern: string }[] };
  for (const rule of items.filter((r) => patterns.includes(r.pattern))) await page.request.delete(`/api/v1/redaction-rules/${rule.id}`, { headers: sameOrigin });
}
