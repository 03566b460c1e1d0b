import { createTeamsWithQueues } from '../support/broker-teams';
import { createOperator, createToken, expect, seedDeadLetters, signInOverHttp, test } from '../support/fixtures';
import { expectJobStatus, jsonSeeds, queueDepth, takeBody } from '../support/job-fixtures';

// The launcher's guards: a JSON patch is checked before anything is sent and its diff shown
// in the dry run; a selection that changed between the dry run and the confirmation is
// refused with the new count; a job that needs a second person says so and waits.

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(150_000);

test.describe('patch and a changed selection', () => {
  let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
  test.beforeAll(async () => {
    seeded = await seedDeadLetters('job-patch', jsonSeeds(4, 'patch'));
  });
  test.afterAll(async () => {
    await seeded?.cleanup();
  });

  test('a patched replay: checked, diffed, refused when the count changed, then run on what matches now', async ({ page, operator: _ }) => {
    await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}&status=new`);
    await expect(page.getByTestId('matching-count')).toHaveText('4 matching');
    await page.getByRole('button', { name: 'Replay all…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay all matching messages' });
    const patch = dialog.getByLabel('JSON patch');
    const dryRunButton = dialog.getByRole('button', { name: 'Dry run', exact: true });

    await patch.fill('{"op":');
    await expect(dialog.getByRole('alert')).toContainText('Not valid JSON');
    await expect(dryRunButton).toBeDisabled();
    await patch.fill('[{"op":"replace","path":"/currency"}]');
    await expect(dialog.getByRole('alert')).toContainText('"replace" needs a "value"');
    await patch.fill('[{"op":"replace","path":"/currency","value":"EUR"}]');
    await expect(dialog.getByLabel('Revision')).toBeDisabled();
    await expect(dryRunButton).toBeEnabled();

    await dryRunButton.click();
    await expect(dialog.getByTestId('dry-run')).toContainText('exactly 4 messages');
    await expect(dialog.getByTestId('dry-run-row').first()).toContainText('new revision (patch)');
    const diff = dialog.getByTestId('dry-run-diff');
    await expect(diff).toContainText('"USD"');
    await expect(diff).toContainText('"EUR"');

    // Someone discards one of them before the confirmation.
    const id = seeded.idOf('patch-2');
    const operatorToken = { authorization: `Bearer ${(await createToken('operator')).token}` };
    const { version } = (await (await page.request.get(`/api/v1/messages/${id}`)).json()) as { version: number };
    expect((await page.request.post(`/api/v1/messages/${id}/discard`, { headers: operatorToken, data: { version, reason: 'duplicate' } })).status()).toBe(200);

    await dialog.getByRole('button', { name: 'Replay 4 messages' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: 'The selection changed since the dry run' });
    await expect(refusal).toContainText('3 messages match now');
    await refusal.getByRole('button', { name: 'Dry run again' }).click();
    await expect(dialog.getByTestId('dry-run')).toContainText('exactly 3 messages');
    await dialog.getByRole('button', { name: 'Replay 3 messages' }).click();

    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    await expectJobStatus(page, 'completed');
    await expect(page.getByRole('region', { name: 'Options' })).toContainText('"value": "EUR"');
    await expect.poll(() => queueDepth(seeded.work)).toBe(3);
    const body = JSON.parse((await takeBody(seeded.work))!) as { currency: string };
    expect(body.currency).toBe('EUR');
  });
});

test.describe('approval', () => {
  let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
  test.beforeAll(async ({ request }) => {
    seeded = await seedDeadLetters('job-approval', jsonSeeds(2, 'appr'));
    const admin = await createToken('admin');
    const made = await request.patch(`/api/v1/sources/${encodeURIComponent(seeded.dlq)}`, {
      headers: { authorization: `Bearer ${admin.token}` }, data: { protected: true },
    });
    expect(made.status()).toBe(200);
  });
  test.afterAll(async () => {
    await seeded?.cleanup();
  });

  test('a discard of a protected source is sent for approval; its job waits and can be cancelled', async ({ page, operator: _ }) => {
    await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
    await page.getByRole('button', { name: 'Discard all…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard all matching messages' });
    // Discarding publishes nothing: no canary to watch, no target, no patch.
    await expect(dialog.getByLabel('Canary first')).toHaveCount(0);
    await expect(dialog.getByLabel('JSON patch')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Dry run', exact: true }).click();
    await expect(dialog.getByTestId('dry-run')).toContainText(`Needs a second person’s approval because of protected source ${seeded.dlq}`);
    await dialog.getByRole('button', { name: 'Discard 2 messages' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: 'Sent for approval' })).toBeVisible();
    await expect(dialog.getByRole('link', { name: 'Follow the request on the Approvals page' })).toHaveAttribute('href', /\/approvals\?id=/);
    await dialog.getByRole('link', { name: 'Open the job' }).click();

    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    await expectJobStatus(page, 'awaiting_approval');
    await expect(page.getByRole('link', { name: 'Open the approval request' })).toHaveAttribute('href', /\/approvals\?id=/);
    await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the job' }).click();
    await expectJobStatus(page, 'cancelled');
    // Nothing was discarded.
    const list = (await (await page.request.get(`/api/v1/messages?source=${encodeURIComponent(seeded.dlq)}&status=discarded`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
  });
});

test.describe('redirect', () => {
  let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
  let teams: Awaited<ReturnType<typeof createTeamsWithQueues>>;
  test.beforeAll(async ({ request }) => {
    seeded = await seedDeadLetters('job-redirect', jsonSeeds(3, 'redir'));
    teams = await createTeamsWithQueues(request, 'job-redirect', ['billing']);
  });
  test.afterAll(async () => {
    await teams?.cleanup();
    await seeded?.cleanup();
  });

  test('a support lead redirects every matching message to a team', async ({ page }) => {
    await signInOverHttp(page.request, await createOperator('support_lead'));
    await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
    // A support lead redirects; replaying and discarding are an operator's.
    await expect(page.getByRole('button', { name: 'Replay all…' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Discard all…' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Redirect all…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Redirect all matching messages' });
    const dryRunButton = dialog.getByRole('button', { name: 'Dry run', exact: true });
    await expect(dryRunButton).toBeDisabled(); // no team chosen yet
    const team = teams.teams[0]!;
    await dialog.getByLabel('Team').selectOption({ label: `${team.name} — queue ${team.queue}` });
    await dryRunButton.click();
    await expect(dialog.getByTestId('dry-run')).toContainText('This will redirect exactly 3 messages');
    const row = dialog.getByTestId('dry-run-row').first();
    await expect(row).toContainText(team.queue);
    await expect(row).toContainText(`x-dlq-console-team: ${team.name}`);
    await dialog.getByRole('button', { name: 'Redirect 3 messages' }).click();

    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    await expectJobStatus(page, 'completed');
    await expect(page.getByRole('region', { name: 'Options' })).toContainText(team.name);
    await expect.poll(() => teams.messageCount(team.queue)).toBe(3);
  });
});
