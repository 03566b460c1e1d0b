import { randomBytes } from 'node:crypto';
import { createTeamsWithQueues } from '../support/broker-teams';
import { createOperator, createToken, expect, seedDeadLetters, signInOverHttp, test } from '../support/fixtures';

// The action screens walked through in both themes, with a screenshot of each for a
// person to look at (not a pixel comparison) in test-results/screenshots.
test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(180_000);

const DIR = 'test-results/screenshots';
let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
let teams: Awaited<ReturnType<typeof createTeamsWithQueues>>;

const order = {
  orderId: 'ord-20261125-0042',
  customer: { id: 'cus_81723', email: 'ana@example.com' },
  lines: [
    { sku: 'SKU-RED-M', qty: 2, price: 19.5 },
    { sku: 'SKU-BLUE-L', qty: 1, price: 24 },
  ],
  total: 63,
  currency: 'EUR',
  placedAt: '2026-11-25T02:41:07Z',
};

test.beforeAll(async ({ request }) => {
  seeded = await seedDeadLetters('shots', [
    { body: JSON.stringify(order, null, 2), contentType: 'application/json', messageId: 'shot-order', headers: { 'x-tenant': 'acme', 'x-schema': 'order.v3' } },
  ]);
  teams = await createTeamsWithQueues(request, 'shots', ['billing']);
});
test.afterAll(async () => {
  await teams?.cleanup();
  await seeded?.cleanup();
});

test('detail with timeline, edit view, replay dialog and audit page, light and dark', async ({ page, operator: _ }) => {
  const id = seeded.idOf('shot-order');
  const api = page.request;
  const version = async () => ((await (await api.get(`/api/v1/messages/${id}`)).json()) as { version: number; status: string });
  const settled = async () => expect.poll(async () => (await version()).status, { timeout: 20_000 }).not.toMatch(/ing$/);

  const edited = { ...order, total: 63.0, lines: [order.lines[0], { ...order.lines[1], price: 24.5 }] };
  // The session cookie acts only from the console's own origin (CSRF check).
  const sameOrigin = { origin: process.env.E2E_BASE_URL! };
  expect((await api.post(`/api/v1/messages/${id}/revisions`, {
    headers: sameOrigin, data: { version: (await version()).version, body: { encoding: 'utf8', data: JSON.stringify(edited, null, 2) }, headers: { 'x-tenant': 'acme', 'x-schema': 'order.v4' }, reason: 'price of SKU-BLUE-L was stale (INC-2211)' },
  })).status()).toBe(201);
  expect((await api.post(`/api/v1/messages/${id}/replay`, { headers: sameOrigin, data: { version: (await version()).version, reason: 'consumer fixed in v2.3' } })).status()).toBe(202);
  await settled();
  // A team whose queue does not exist: the broker returns the publish, and the console says so.
  const admin = await createToken('admin');
  const missing = `billing-archive-${randomBytes(3).toString('hex')}`;
  const team = await api.post('/api/v1/teams', { headers: { authorization: `Bearer ${admin.token}` }, data: { name: missing, queue: `${missing}.in` } });
  expect(team.status()).toBe(201);
  // Redirecting is a support lead's, not the signed-in operator's.
  const lead = { authorization: `Bearer ${(await createToken('support_lead')).token}` };
  expect((await api.post(`/api/v1/messages/${id}/redirect`, { headers: lead, data: { version: (await version()).version, team: missing, reason: 'billing owns refunds' } })).status()).toBe(202);
  await settled();
  await api.delete(`/api/v1/teams/${((await team.json()) as { team: { id: string } }).team.id}`, { headers: { authorization: `Bearer ${admin.token}` } });

  for (const theme of ['light', 'dark'] as const) {
    await page.context().addCookies([{ name: 'theme', value: theme, url: process.env.E2E_BASE_URL! }]);
    await page.goto(`/messages/${id}`);
    await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('failed');
    await page.screenshot({ path: `${DIR}/detail-${theme}.png`, fullPage: true });

    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Replay message' })).toBeVisible();
    await page.screenshot({ path: `${DIR}/replay-dialog-${theme}.png` });
    await page.keyboard.press('Escape');

    await page.goto(`/messages/${id}/edit`);
    const body = page.getByLabel('Body', { exact: true });
    await expect(body).not.toHaveValue('');
    await body.fill(JSON.stringify({ ...edited, total: 64, note: 'recomputed' }, null, 2).replace('"currency": "EUR",', '"currency": "EUR",,'));
    await expect(page.getByText(/Invalid JSON at line/)).toBeVisible();
    await page.screenshot({ path: `${DIR}/edit-invalid-${theme}.png` });
    await body.fill(JSON.stringify({ ...edited, total: 64, note: 'recomputed' }, null, 2));
    await page.getByLabel('Compare with').selectOption('0');
    await expect(page.getByRole('table', { name: 'Body changes' })).toBeVisible();
    await page.screenshot({ path: `${DIR}/edit-${theme}.png`, fullPage: true });

    // The audit page is the auditor's: this browser signs in as one for it, then back.
    const operatorSession = await page.context().storageState();
    await signInOverHttp(page.request, await createOperator('auditor'));
    await page.goto('/audit');
    await expect(page.getByRole('table', { name: 'Audit events' }).locator('tr[data-audit-id]').first()).toBeVisible();
    await page.getByRole('table', { name: 'Audit events' }).locator('tr', { hasText: 'dispatch.failed' }).first().getByRole('button', { name: /^Show details of event/ }).click();
    await page.screenshot({ path: `${DIR}/audit-${theme}.png` });
    await page.context().clearCookies();
    await page.context().addCookies(operatorSession.cookies);
  }
});
