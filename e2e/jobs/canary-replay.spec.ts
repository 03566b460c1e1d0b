import { expect, seedDeadLetters, test } from '../support/fixtures';
import { expectJobStatus, groupOf, jsonSeeds, queueDepth, screenshotBoth } from '../support/job-fixtures';

// The flow: from the groups list, select a group, dry-run, canary-replay, watch
// progress to completion. The origin queue exists and has no consumer, so every replayed
// message stays there: nothing dies again and the canary passes.

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(150_000);

const N = 6;
let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;

test.beforeAll(async () => {
  seeded = await seedDeadLetters('job-canary', jsonSeeds(N, 'canary'));
});
test.afterAll(async () => {
  await seeded?.cleanup();
});

test('groups list → group → dry run → canary replay → completed, the origin queue gets exactly N', async ({ page, operator: _ }) => {
  const groupId = await groupOf(seeded.work);
  expect(await queueDepth(seeded.work)).toBe(0);

  // The groups list, narrowed to this test's origin queue; the group opens its own page.
  await page.goto(`/groups?origin=${encodeURIComponent(seeded.work)}`);
  await page.locator(`a[href="/groups/${groupId}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/groups/${groupId}$`));

  await page.getByRole('button', { name: 'Replay all…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay all matching messages' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Selection filters')).toContainText(groupId);
  await dialog.getByLabel('Rate (messages per second)').fill('1');
  await dialog.getByLabel('Canary first').check();
  await dialog.getByLabel('Canary size').fill('2');
  await dialog.getByLabel('Then wait (seconds)').fill('3');
  // Enter in a field neither dry-runs nor confirms.
  await dialog.getByLabel('Then wait (seconds)').press('Enter');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('dry-run')).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Dry run', exact: true }).click();
  const dryRun = dialog.getByTestId('dry-run');
  await expect(dryRun).toContainText(`This will replay exactly ${N} messages that match now; messages that arrive later are not included.`);
  await expect(dryRun).toContainText('No approval needed');
  const rows = dryRun.getByTestId('dry-run-row');
  await expect(rows).toHaveCount(N);
  const first = rows.first();
  await expect(first.getByRole('link')).toHaveText(seeded.idOf('canary-1'));
  await expect(first).toContainText(seeded.work);
  await expect(first).toContainText('x-dlq-console-replay-count');
  await screenshotBoth(page, 'job-launcher-dry-run');

  await dialog.getByRole('button', { name: `Replay ${N} messages` }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const jobId = page.url().split('/').pop()!;

  // Canary: two go alone, then the job waits (with a countdown), passes, runs the rest.
  const canary = page.getByTestId('canary');
  await expect(canary).toHaveAttribute('data-state', 'waiting', { timeout: 20_000 });
  await expect(page.getByTestId('canary-countdown')).toHaveText(/^\d+s$/);
  await expect(canary).toHaveAttribute('data-state', 'passed', { timeout: 20_000 });
  await expectJobStatus(page, 'running');
  await expectJobStatus(page, 'completed', 30_000);
  await expect(page.getByTestId('job-done')).toHaveText(String(N));
  await expect(page.getByTestId('job-failed')).toHaveText('0');
  await expect(page.getByTestId('job-remaining')).toHaveText('0');
  await expect(page.getByTestId('job-item')).toHaveCount(N);
  await expect(page.getByTestId('job-item').filter({ hasText: 'yes' })).toHaveCount(2); // the canary

  // Exactly N on the origin queue: none lost, none twice, none died again.
  await expect.poll(() => queueDepth(seeded.work)).toBe(N);

  await page.goto('/jobs');
  await expect(page.locator(`tr[data-job-id="${jobId}"]`)).toContainText('completed');
  await screenshotBoth(page, 'jobs-list');

  // Filtered by status in the URL; j selects the first row and Enter opens it.
  await page.goto('/jobs?status=completed');
  const row = page.locator(`tr[data-job-id="${jobId}"]`);
  await expect(row).toContainText('completed');
  await expect(row).toContainText(`${N} / ${N}`);
  await page.keyboard.press('j');
  await expect(page.locator('tr[aria-selected="true"]')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
});
