import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseCsv } from '../../lib/testing/parse-csv';
import { createOperator, createToken, expect, seedDeadLetters, signInOverHttp, test } from '../support/fixtures';

// An auditor answers "all replays by X last week" in two clicks, opens one of them to see
// before and after, the bytes it sent and its hashes, and exports exactly that as CSV.
// X is an operator's API token that really edited and replayed a dead letter; the other
// events are written straight to the record to date one of them ten days back.

const ACTIONS_OF_REPLAYS = ['message.replay_requested', 'message.sandbox_replay_requested'];
const CSV_COLUMNS = ['id', 'at', 'actor', 'action', 'outcome', 'subject', 'message_id', 'source_queue', 'origin_queue', 'target', 'result', 'reason', 'request_id', 'before', 'after', 'hash', 'prev_hash'];

let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
let x: string;
let messageId: string;

test.beforeAll(async ({ request }) => {
  seeded = await seedDeadLetters('audit-review', [
    { body: JSON.stringify({ orderId: 'ord-9', total: 10 }), contentType: 'application/json', messageId: 'audit-review-1' },
  ]);
  messageId = seeded.idOf('audit-review-1');
  const operator = await createToken('operator');
  x = `token:${operator.name}`;
  const headers = { authorization: `Bearer ${operator.token}` };
  const version = async () => ((await (await request.get(`/api/v1/messages/${messageId}`, { headers })).json()) as { version: number }).version;
  const edit = await request.post(`/api/v1/messages/${messageId}/revisions`, {
    headers, data: { version: await version(), body: { encoding: 'utf8', data: JSON.stringify({ orderId: 'ord-9', total: 12 }) }, headers: {}, reason: 'total was wrong' },
  });
  expect(edit.status()).toBe(201);
  expect((await request.post(`/api/v1/messages/${messageId}/replay`, { headers, data: { version: await version(), reason: 'consumer fixed' } })).status()).toBe(202);

  const { prisma } = await import('../../lib/db/prisma');
  const { recordAuditEvent } = await import('../../lib/audit/record-audit-event');
  const record = (event: Parameters<typeof recordAuditEvent>[1]) => prisma().$transaction((tx) => recordAuditEvent(tx, event));
  // X's other replay this week, with a reason a spreadsheet would run as a formula.
  await record({ actor: x, action: 'message.sandbox_replay_requested', subject: 'message:elsewhere', target: 'sandbox staging', reason: '=HYPERLINK("http://evil.example","x")' });
  // Not replays, not X, or not last week: none of these may show.
  await record({ actor: x, action: 'message.discarded', subject: 'message:elsewhere', reason: 'duplicate' });
  await record({ actor: `user:someone-${randomBytes(3).toString('hex')}@example.com`, action: 'message.replay_requested', subject: 'message:elsewhere' });
  await prisma().auditEvent.create({ data: { actor: x, action: 'message.replay_requested', subject: 'message:old', outcome: 'pending', at: new Date(Date.now() - 10 * 86_400_000) } });
});
test.afterAll(async () => {
  await seeded?.cleanup();
});

// The first page of a freshly started server, on a busy machine, takes longer than one expect's 15 s.
const FIRST_LOAD = { timeout: 45_000 };

test('an auditor finds all replays by X last week in two clicks, opens one, and exports exactly those as CSV', async ({ page }) => {
  test.slow();
  await signInOverHttp(page.request, await createOperator('auditor'));
  await page.goto('/audit');
  const table = page.getByRole('table', { name: 'Audit events' });
  const rows = table.locator('tr[data-audit-id]');
  await expect(rows.first()).toBeVisible(FIRST_LOAD);

  // Click 1: the actor in any row. Click 2: the preset.
  await table.getByRole('button', { name: `Show only events by ${x}` }).first().click();
  await page.getByRole('button', { name: 'Replays · last 7 days' }).click();
  await expect(page).toHaveURL(/actor=token%3Ae2e-[0-9a-f]+.*action=replays.*from=\d{4}-/);
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) {
    await expect(row).toContainText(x);
    const text = (await row.textContent()) ?? '';
    expect(ACTIONS_OF_REPLAYS.some((a) => text.includes(a)), text).toBe(true);
  }
  await expect(table).toContainText('message.sandbox_replay_requested');
  await expect(table).not.toContainText('message.discarded');
  await expect(page.getByLabel('Action')).toHaveValue('replays');

  // The real replay: what it recorded, the exact bytes it sent (revision #1, the edit), and its place in the chain.
  const replay = rows.filter({ hasText: 'message.replay_requested' });
  await replay.getByRole('button', { name: /^Show details of event/ }).click();
  const panel = page.getByRole('dialog', { name: /^Audit event #\d+$/ });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('“consumer fixed”');
  // Before and after, side by side with what changed: the replay moved the message from edited to replaying.
  const changed = panel.getByRole('table', { name: 'Recorded values changes' }).locator('tr[data-kind="changed"]').first();
  await expect(changed).toContainText('"status": "edited"');
  await expect(changed).toContainText('"status": "replaying"');
  await expect(panel).toContainText('revision #1: the bytes this replay sends');
  await expect(panel.getByRole('link', { name: `Open message #${messageId} at revision #1` })).toHaveAttribute('href', `/messages/${messageId}?revision=1`);
  await expect(panel).toContainText('"total": 12');
  await expect(panel.getByText(/^[0-9a-f]{64}$/)).toHaveCount(2); // hash and previous hash
  await expect(page).toHaveURL(/[?&]event=\d+/);
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // Keyboard: the opened row stays selected; k moves up, Enter opens, j walks the open panel down, Escape closes.
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('k');
  await expect(rows.first()).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Enter');
  await expect(panel).toContainText('message.sandbox_replay_requested');
  await page.keyboard.press('j');
  await expect(panel).toContainText('“consumer fixed”');
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // The export carries the same filters: only X's replays of the last seven days.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-events-\d{8}T\d{6}Z\.csv$/);
  const [preamble, header, ...records] = parseCsv(await readFile((await download.path())!, 'utf8'));
  expect(preamble![0]).toMatch(/^# dlq-console audit events exported .*; filters actor=token%3Ae2e-[0-9a-f]+&action=replays&from=/);
  expect(header).toEqual(CSV_COLUMNS);
  expect(records).toHaveLength(2);
  const col = (r: string[], name: string) => r[CSV_COLUMNS.indexOf(name)];
  expect(records.map((r) => col(r, 'actor'))).toEqual([x, x]);
  expect(records.map((r) => col(r, 'action')).sort()).toEqual([...ACTIONS_OF_REPLAYS].sort());
  expect(records.every((r) => Date.parse(col(r, 'at')!) > Date.now() - 7 * 86_400_000)).toBe(true);
  // The formula-like reason arrives as text.
  expect(records.find((r) => col(r, 'action') === 'message.sandbox_replay_requested')!.at(CSV_COLUMNS.indexOf('reason'))).toBe('\'=HYPERLINK("http://evil.example","x")');
  expect(col(records.find((r) => col(r, 'action') === 'message.replay_requested')!, 'message_id')).toBe(messageId);

  // JSON Lines from the same link: the same two events.
  const jsonl = await page.request.get((await page.getByRole('link', { name: 'Export JSON Lines' }).getAttribute('href'))!);
  expect(jsonl.headers()['content-disposition']).toMatch(/^attachment; filename="audit-events-\d{8}T\d{6}Z\.jsonl"$/);
  const lines = (await jsonl.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as { actor: string; id: string });
  expect(lines.map((l) => l.id)).toEqual(records.map((r) => col(r, 'id')));
});

test('the filters are checked before an export starts, and only auditors and admins may export', async ({ page, request }) => {
  await signInOverHttp(page.request, await createOperator('auditor'));
  const refused = await page.request.get('/api/v1/audit/export?format=csv&outcome=maybe');
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('"outcome"');
  expect((await page.request.get('/api/v1/audit/export')).status()).toBe(400); // format is required
  await page.goto('/audit?team=no-such-team');
  await expect(page.getByText('These filters were refused')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible();

  const operator = await createToken('operator');
  const denied = await request.get('/api/v1/audit/export?format=csv', { headers: { authorization: `Bearer ${operator.token}` } });
  expect(denied.status()).toBe(403);
});

test('light and dark: a click on a row opens it beside the filtered list', async ({ page }) => {
  test.slow();
  await signInOverHttp(page.request, await createOperator('auditor'));
  await page.setViewportSize({ width: 1600, height: 900 });
  for (const theme of ['light', 'dark'] as const) {
    await page.context().addCookies([{ name: 'theme', value: theme, url: process.env.E2E_BASE_URL! }]);
    await page.goto(`/audit?actor=${encodeURIComponent(x)}`);
    const rows = page.getByRole('table', { name: 'Audit events' }).locator('tr[data-audit-id]');
    await expect(rows).toHaveCount(5, FIRST_LOAD); // the edit, the replay, the sandbox replay, the discard, the replay ten days ago
    await rows.filter({ hasText: 'consumer fixed' }).locator('td').first().click();
    const panel = page.getByRole('dialog', { name: /^Audit event #\d+$/ });
    await expect(panel).toContainText('"total": 12');
    await page.screenshot({ path: `test-results/screenshots/audit-review-${theme}.png` });
  }
});
