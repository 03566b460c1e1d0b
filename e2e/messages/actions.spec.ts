import type { Page } from '@playwright/test';
import { createTeamsWithQueues, peekQueue } from '../support/broker-teams';
import { createOperator, createToken, expect, seedDeadLetters, signInOverHttp, test } from '../support/fixtures';

// An operator acts on dead letters from the detail page: edits with a diff, replays to the
// origin, redirects to one team or all of them, discards and restores, and reads each step
// on the timeline and in the audit record.

const order = { orderId: 'ord-1', total: 10, currency: 'EUR' };
let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
let teams: Awaited<ReturnType<typeof createTeamsWithQueues>>;

test.beforeAll(async ({ request }) => {
  seeded = await seedDeadLetters('ui-actions', [
    { body: JSON.stringify(order, null, 2), contentType: 'application/json', messageId: 'ui-edit', headers: { 'x-tenant': 'acme' } },
    { body: JSON.stringify({ ...order, orderId: 'ord-2' }), contentType: 'application/json', messageId: 'ui-replay' },
    { body: 'to one team', contentType: 'text/plain', messageId: 'ui-redirect-one' },
    { body: 'to every team', contentType: 'text/plain', messageId: 'ui-redirect-all' },
    { body: 'not needed', contentType: 'text/plain', messageId: 'ui-discard' },
    { body: 'raced', contentType: 'text/plain', messageId: 'ui-conflict' },
    { body: 'audited', contentType: 'text/plain', messageId: 'ui-audit' },
  ]);
  teams = await createTeamsWithQueues(request, 'ui-teams', ['billing', 'identity']);
});
test.afterAll(async () => {
  await teams?.cleanup();
  await seeded?.cleanup();
});

test.beforeEach(async ({ page }) => {
  page.on('dialog', (dialog) => { throw new Error(`a browser dialog opened: ${dialog.message()}`); });
});

const status = (page: Page, s: string) => page.getByTitle(`status: ${s}`);
const timeline = (page: Page) => page.getByRole('list', { name: 'Timeline' });

test('edit: invalid JSON is pointed at and blocks saving; a valid edit shows its diff and becomes revision #1', async ({ page, operator }) => {
  const id = seeded.idOf('ui-edit');
  await page.goto(`/messages/${id}`);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/messages/${id}/edit$`));
  await expect(page.getByRole('heading', { name: `Edit message #${id}` })).toBeVisible();

  const body = page.getByLabel('Body', { exact: true });
  const save = page.getByRole('button', { name: 'Save revision' });
  await expect(body).toHaveValue(JSON.stringify(order, null, 2));
  await expect(save).toBeDisabled(); // nothing changed yet

  await body.fill('{\n  "orderId": "ord-1",,\n  "total": 12\n}');
  await expect(page.getByText('Invalid JSON at line 2, column 22: Unexpected ","; expected a property name in double quotes')).toBeVisible();
  await expect(body).toHaveAttribute('aria-invalid', 'true');
  await expect(save).toBeDisabled();

  await body.fill(JSON.stringify({ ...order, total: 12 }, null, 2));
  await expect(page.getByText('Valid JSON', { exact: false })).toBeVisible();
  const diff = page.getByRole('table', { name: 'Body changes' });
  const changed = diff.locator('tr[data-kind="changed"]');
  await expect(changed).toHaveCount(1);
  await expect(changed).toContainText('"total": 10,');
  await expect(changed).toContainText('"total": 12,');
  await expect(page.getByText('Body: 1 changed, 0 added, 0 removed line.')).toBeVisible();

  // Tab indents inside the editor instead of leaving it; the headers stay a valid object.
  const headers = page.getByLabel('Headers', { exact: true });
  await headers.click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Tab');
  await expect(headers).toHaveValue(/^ {2}\{/);
  await expect(headers).toBeFocused();

  await page.getByLabel('Reason').fill('total was wrong upstream');
  await expect(save).toBeEnabled();
  await save.click();

  await expect(page).toHaveURL(new RegExp(`/messages/${id}$`));
  await expect(status(page, 'edited')).toBeVisible();
  await expect(page.getByText(/Edited: revision #1 by/)).toBeVisible();
  await expect(timeline(page)).toContainText(`Edited by ${operator.email} — revision #1`);
  await expect(timeline(page)).toContainText('“total was wrong upstream”');

  // The editor now starts from revision #1 and compares with the original on request.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/messages/${id}/edit$`));
  await expect(page.getByLabel('Body', { exact: true })).toHaveValue(JSON.stringify({ ...order, total: 12 }, null, 2));
  await page.getByLabel('Compare with').selectOption('0');
  await page.getByLabel('Body', { exact: true }).fill(JSON.stringify({ ...order, total: 12 }, null, 2));
  await expect(page.getByRole('table', { name: 'Body changes' }).locator('tr[data-kind="changed"]')).toContainText('"total": 10,');
});

test('replay: back to the origin queue, replaying then replayed, on the timeline', async ({ page, operator }) => {
  const id = seeded.idOf('ui-replay');
  await page.goto(`/messages/${id}`);
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay message' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel(/^Origin queue/)).toBeChecked();
  await expect(dialog.getByLabel(/^Origin queue/)).toHaveAccessibleName(`Origin queue (${seeded.work})`);
  await expect(dialog.getByLabel('Revision')).toHaveValue('0');
  await dialog.getByLabel('Reason').fill('consumer fixed in v2.3');

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/messages/${id}/replay`) && r.request().method() === 'POST'),
    dialog.getByRole('button', { name: 'Replay message' }).click(),
  ]);
  expect(response.status()).toBe(202);
  expect(response.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  expect(((await response.json()) as { message: { status: string } }).message.status).toBe('replaying');
  await expect(dialog).toBeHidden();

  await expect(status(page, 'replayed')).toBeVisible();
  const dispatches = page.getByRole('table', { name: 'Dispatches' });
  await expect(dispatches).toContainText(`queue ${seeded.work}`);
  await expect(dispatches).toContainText('published');
  await expect(timeline(page)).toContainText(`Replay requested by ${operator.email} to queue ${seeded.work}`);
  await expect(timeline(page)).toContainText(`Published to queue ${seeded.work} (confirmed)`);
  await expect(timeline(page)).toContainText('“consumer fixed in v2.3”');

  const delivered = await peekQueue(seeded.work);
  expect(delivered?.content.toString()).toBe(JSON.stringify({ ...order, orderId: 'ord-2' }));
  expect(delivered?.properties.headers?.['x-dlq-console-replay-id']).toBeTruthy();
});

test('redirect: to one team, then a message to all teams', async ({ page }) => {
  // Redirecting is a support lead's; an operator replays.
  const lead = await createOperator('support_lead');
  await signInOverHttp(page.request, lead);
  const [billing, identity] = teams.teams;
  const one = seeded.idOf('ui-redirect-one');
  await page.goto(`/messages/${one}`);
  await page.getByRole('button', { name: 'Redirect', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Redirect message' });
  await expect(dialog.getByRole('button', { name: 'Redirect message' })).toBeDisabled(); // no team chosen yet
  await dialog.getByLabel('Team').selectOption({ label: `${billing!.name} — queue ${billing!.queue}` });
  await expect(dialog).toContainText(`Contact: #billing-oncall`);
  await dialog.getByLabel('Reason').fill('billing owns refunds');
  await dialog.getByRole('button', { name: 'Redirect message' }).click();
  await expect(status(page, 'redirected')).toBeVisible();
  await expect(timeline(page)).toContainText(`Redirect requested by ${lead.email} to team ${billing!.name}, queue ${billing!.queue}`);
  await expect(timeline(page)).toContainText(`Published to team ${billing!.name}, queue ${billing!.queue} (confirmed)`);
  await expect.poll(() => teams.messageCount(billing!.queue)).toBe(1);
  expect((await teams.take(billing!.queue))?.content.toString()).toBe('to one team');

  const all = seeded.idOf('ui-redirect-all');
  await page.goto(`/messages/${all}`);
  await page.getByRole('button', { name: 'Redirect', exact: true }).click();
  const allDialog = page.getByRole('dialog', { name: 'Redirect message' });
  const teamSelect = allDialog.getByLabel('Team');
  await expect(teamSelect.locator('option', { hasText: /^All teams \(\d+\)$/ })).toHaveCount(1);
  await teamSelect.selectOption('all');
  await allDialog.getByRole('button', { name: 'Redirect message' }).click();
  // Other suites may add teams of their own meanwhile: check ours, and that the action settles.
  const dispatches = page.getByRole('table', { name: 'Dispatches' });
  for (const team of [billing!, identity!]) {
    await expect(dispatches.locator('tr', { hasText: `team ${team.name}, queue ${team.queue}` })).toContainText('published');
    await expect.poll(() => teams.messageCount(team.queue)).toBe(1);
  }
  await expect(status(page, 'redirecting')).toBeHidden();
  await expect(timeline(page)).toContainText(/Redirect requested by .* to all teams \(\d+\)/);
});

test('discard and restore, with Escape closing the dialog and not leaving the page', async ({ page, operator }) => {
  const id = seeded.idOf('ui-discard');
  await page.goto(`/messages/${id}`);
  await page.getByRole('button', { name: 'Discard', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Discard message' });
  await expect(dialog.getByLabel('Reason')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/messages/${id}$`));

  await page.getByRole('button', { name: 'Discard', exact: true }).click();
  await dialog.getByLabel('Reason').fill('duplicate of ord-1');
  await dialog.getByRole('button', { name: 'Discard message' }).click();
  await expect(status(page, 'discarded')).toBeVisible();
  const toolbar = page.getByRole('toolbar', { name: 'Message actions' });
  await expect(toolbar.getByRole('button')).toHaveText(['Restore']);

  await toolbar.getByRole('button', { name: 'Restore' }).click();
  const restore = page.getByRole('dialog', { name: 'Restore message' });
  await restore.getByRole('button', { name: 'Restore message' }).click();
  await expect(status(page, 'new')).toBeVisible();
  await expect(toolbar.getByRole('button')).toHaveText(['Edit', 'Replay', 'Discard']); // redirecting is a support lead's
  await expect(timeline(page)).toContainText(`Discarded by ${operator.email}`);
  await expect(timeline(page)).toContainText('“duplicate of ord-1”');
  await expect(timeline(page)).toContainText(`Restored by ${operator.email} (back to new)`);
});

test('a change by someone else while the dialog is open is a conflict that says what changed, and Reload shows it', async ({ page, operator: _ }) => {
  const id = seeded.idOf('ui-conflict');
  await page.goto(`/messages/${id}`);
  await page.getByRole('button', { name: 'Discard', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Discard message' });

  const other = await createToken('operator');
  const { version } = (await (await page.request.get(`/api/v1/messages/${id}`)).json()) as { version: number };
  const theirs = await page.request.post(`/api/v1/messages/${id}/discard`, {
    headers: { authorization: `Bearer ${other.token}` }, data: { version, reason: 'handled in INC-42' },
  });
  expect(theirs.status()).toBe(200);

  await dialog.getByRole('button', { name: 'Discard message' }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('Someone else changed this message');
  await expect(alert).toContainText('409 CONFLICT');
  await expect(alert.getByRole('list', { name: 'Changes since you loaded it' })).toContainText(`discarded by token:${other.name}`);
  await expect(alert).toContainText('“handled in INC-42”');
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(alert).toBeHidden();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(status(page, 'discarded')).toBeVisible();
  await expect(timeline(page)).toContainText(`Discarded by token:${other.name}`);
});

test('the audit page lists actions by message and action, with before and after', async ({ page, operator }) => {
  const id = seeded.idOf('ui-audit');
  const act = async (action: 'discard' | 'restore', reason: string) => {
    const { version } = (await (await page.request.get(`/api/v1/messages/${id}`)).json()) as { version: number };
    // The session cookie acts only for the console's own origin (CSRF check, lib/http/check-csrf.ts).
    const origin = process.env.E2E_BASE_URL!;
    expect((await page.request.post(`/api/v1/messages/${id}/${action}`, { headers: { origin }, data: { version, reason } })).status()).toBe(200);
  };
  await act('discard', 'duplicate of ord-1');
  await act('restore', 'not a duplicate after all');

  // The audit page is the auditor's (operators have no audit:read): the same browser signs in as one.
  await signInOverHttp(page.request, await createOperator('auditor'));
  await page.goto(`/audit?messageId=${id}`);
  const table = page.getByRole('table', { name: 'Audit events' });
  await expect(table.locator('tr[data-audit-id]')).toHaveCount(2);
  await expect(table).toContainText('message.restored');
  await expect(table).toContainText(`user:${operator.email}`);
  await expect(table.getByRole('link', { name: `#${id}` }).first()).toHaveAttribute('href', `/messages/${id}`);
  await expect(page.getByLabel('Message')).toHaveValue(id);

  await page.getByLabel('Action').selectOption('message.discarded');
  await expect(page).toHaveURL(/action=message.discarded/);
  await expect(table.locator('tr[data-audit-id]')).toHaveCount(1);
  await expect(table).toContainText('“duplicate of ord-1”');
  await table.getByRole('button', { name: /^Show details of event/ }).click();
  const panel = page.getByRole('dialog', { name: /^Audit event #/ });
  await expect(panel.getByText('Before and after')).toBeVisible();
  await expect(panel.getByText(/"discarded"/).first()).toBeVisible();

  await page.getByLabel('Actor').fill('nobody:*');
  await expect(page.getByText('No audit events match these filters')).toBeVisible();

  await page.goto('/audit?messageId=abc');
  await expect(page.getByText(/"messageId"/)).toBeVisible();
});

test('an edit that breaks the origin queue’s contract lists each violation by path', async ({ page, operator: _ }) => {
  const own = await seedDeadLetters('ui-contract', [{ body: JSON.stringify(order, null, 2), contentType: 'application/json', messageId: 'ui-contract' }]);
  const admin = { authorization: `Bearer ${(await createToken('admin')).token}` };
  try {
    const schema = { type: 'object', required: ['orderId', 'total'], properties: { total: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } } };
    expect((await page.request.put('/api/v1/contracts', { headers: admin, data: { origin: own.work, schema } })).status()).toBe(200);
    const id = own.idOf('ui-contract');
    await page.goto(`/messages/${id}/edit`);
    await page.getByLabel('Body', { exact: true }).fill(JSON.stringify({ orderId: 'ord-1', total: 'ten', currency: 'GBP' }, null, 2));
    await page.getByRole('button', { name: 'Save revision' }).click();
    const violations = page.getByRole('list', { name: 'Contract violations' });
    await expect(violations.getByRole('listitem')).toHaveText(['/total — must be number', '/currency — must be equal to one of the allowed values']);
    await expect(page.getByText('The body breaks the contract of its origin queue')).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/messages/${id}/edit$`)); // nothing saved, the text is still there to fix
  } finally {
    await page.request.delete(`/api/v1/contracts?origin=${encodeURIComponent(own.work)}`, { headers: admin });
    await own.cleanup();
  }
});

test('a viewer sees the message and its timeline but no actions', async ({ page }) => {
  const viewer = await createOperator('viewer');
  await signInOverHttp(page.request, viewer);
  await page.goto(`/messages/${seeded.idOf('ui-edit')}`);
  await expect(page.getByText('View only: your role cannot change messages.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Replay', exact: true })).toHaveCount(0);
  await expect(timeline(page)).toContainText('Ingested from');
});
