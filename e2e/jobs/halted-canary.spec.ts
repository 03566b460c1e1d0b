import { expect, test } from '../support/fixtures';
import { expectJobStatus, queueDepth, screenshotBoth, seedDyingDeadLetters } from '../support/job-fixtures';

// A canary that dies again: the origin queue expires every message into the source at
// once, so the replayed canary comes back as new dead letters and the job halts before
// sending the rest, saying why in a red panel.

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(150_000);

const N = 5;
let seeded: Awaited<ReturnType<typeof seedDyingDeadLetters>>;

test.beforeAll(async () => {
  seeded = await seedDyingDeadLetters('job-halt', N);
});
test.afterAll(async () => {
  await seeded?.cleanup();
});

test('a canary whose messages die again halts the job, with the reason shown', async ({ page, operator: _ }) => {
  await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
  await expect(page.getByTestId('matching-count')).toHaveText(`${N} matching`);
  await page.getByRole('button', { name: 'Replay all…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay all matching messages' });
  await dialog.getByLabel('Canary first').check();
  await dialog.getByLabel('Canary size').fill('2');
  await dialog.getByLabel('Then wait (seconds)').fill('5');
  await dialog.getByRole('button', { name: 'Dry run', exact: true }).click();
  await expect(dialog.getByTestId('dry-run')).toContainText(`exactly ${N} messages`);
  await dialog.getByRole('button', { name: `Replay ${N} messages` }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const jobId = page.url().split('/').pop()!;

  await expectJobStatus(page, 'halted', 40_000);
  const panel = page.getByTestId('halt-reason');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('The job halted');
  await expect(panel.locator('p').nth(1)).not.toBeEmpty();
  await expect(page.getByTestId('canary')).toHaveAttribute('data-state', 'halted');
  // Only the canary went out: the rest was skipped, and nothing is queued (it all died).
  await expect(page.getByTestId('job-done')).toHaveText('2');
  await expect(page.getByTestId('job-skipped')).toHaveText(String(N - 2));
  await expect(page.getByTestId('job-remaining')).toHaveText('0');
  await page.getByRole('tab', { name: 'Skipped' }).click();
  await expect(page.getByTestId('job-item')).toHaveCount(N - 2);
  await page.getByRole('tab', { name: 'All' }).click();
  expect(await queueDepth(seeded.work)).toBe(0);
  // The canary's two died again: the source holds them as new dead letters.
  await expect.poll(() => seeded.storedCount(), { timeout: 15_000 }).toBe(N + 2);
  await screenshotBoth(page, 'job-halted');

  // The list filtered by status in the URL.
  await page.goto('/jobs');
  await page.getByLabel('Status').selectOption('halted');
  await expect(page).toHaveURL(/\/jobs\?status=halted$/);
  await expect(page.locator(`tr[data-job-id="${jobId}"]`)).toContainText('halted');
});
