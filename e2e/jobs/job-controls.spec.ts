import { expect, seedDeadLetters, test } from '../support/fixtures';
import { cancelJob, expectJobStatus, jsonSeeds, queueDepth, screenshotBoth, startReplayAll } from '../support/job-fixtures';

// Pause, resume and cancel through the job page, on a slow job started from the messages
// list: what was sent before the cancel reached the origin queue, the rest stayed put.

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(150_000);

// At 1 message a second the job runs for N seconds, and the steps before the cancel (two
// screenshots, a pause that settles, a resume) take about 20 s of it on a loaded machine.
const N = 40;
let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;

test.beforeAll(async () => {
  seeded = await seedDeadLetters('job-controls', jsonSeeds(N, 'ctl'));
});
test.afterAll(async () => {
  await seeded?.cleanup();
});

const done = async (page: import('@playwright/test').Page) => Number(await page.getByTestId('job-done').textContent());
/** After a pause or cancel: a message already on its way still lands; true once the page's count and the queue agree and hold for 1.5 s. */
const settled = async (page: import('@playwright/test').Page, queue: string) => {
  const before = [await done(page), await queueDepth(queue)];
  await page.waitForTimeout(1_500);
  const after = [await done(page), await queueDepth(queue)];
  return before[0] === after[0] && before[1] === after[1] && after[0] === after[1];
};

test('the messages list offers bulk actions only when filtered; pause, resume and cancel a running job', async ({ page, operator: _ }) => {
  // Unfiltered: the buttons are there but disabled, and the hint says why.
  await page.goto('/messages');
  await expect(page.getByRole('button', { name: 'Replay all…' })).toBeDisabled();
  await expect(page.getByText('Set at least one filter to act on all matching messages')).toBeVisible();
  // An operator replays and discards; redirecting is a support lead's.
  await expect(page.getByRole('button', { name: 'Redirect all…' })).toHaveCount(0);

  await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
  await expect(page.getByTestId('matching-count')).toHaveText(`${N} matching`);
  await page.getByRole('button', { name: 'Replay all…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay all matching messages' });
  await dialog.getByLabel('Rate (messages per second)').fill('1');
  await dialog.getByLabel('Reason').fill('consumer fixed in v2.4');
  await dialog.getByRole('button', { name: 'Dry run', exact: true }).click();
  await expect(dialog.getByTestId('dry-run')).toContainText(`exactly ${N} messages`);
  // Escape closes the dialog; nothing was created.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL(/\/messages\?/);

  await startReplayAll(page, N, 1);

  await expectJobStatus(page, 'running');
  await expect.poll(() => done(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await screenshotBoth(page, 'job-running');

  // Enter in the reason box does not pause; the button does.
  const reason = page.getByLabel('Reason');
  await reason.fill('checking the first ones downstream');
  await reason.press('Enter');
  await expectJobStatus(page, 'running');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expectJobStatus(page, 'paused');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  // Paused means paused: a message already on its way when Pause was pressed still lands
  // (the page keeps watching for a few seconds), then nothing more goes out.
  await expect.poll(() => settled(page, seeded.work), { timeout: 15_000 }).toBe(true);
  const atPause = await done(page);
  await page.waitForTimeout(3_000);
  expect(await done(page)).toBe(atPause);
  expect(await queueDepth(seeded.work)).toBe(atPause);

  await page.getByRole('button', { name: 'Resume' }).click();
  await expectJobStatus(page, 'running');
  await expect.poll(() => done(page), { timeout: 15_000 }).toBeGreaterThan(atPause);

  // Cancel asks once more.
  await cancelJob(page);
  await expect(page.getByRole('button', { name: /Pause|Resume|Cancel job/ })).toHaveCount(0);
  // As with the pause, a message already on its way lands; then the numbers hold still.
  await expect.poll(() => settled(page, seeded.work), { timeout: 15_000 }).toBe(true);
  const final = await done(page);
  expect(final).toBeLessThan(N);
  // The unsent rest is skipped: nothing remains to do.
  await expect(page.getByTestId('job-remaining')).toHaveText('0');
  await expect(page.getByTestId('job-skipped')).toHaveText(String(N - final));
  // What was sent arrived once; the rest was never sent.
  await expect.poll(() => queueDepth(seeded.work)).toBe(final);
  await page.getByRole('tab', { name: 'Skipped' }).click();
  await expect(page.getByTestId('job-item')).toHaveCount(N - final);
  await page.getByRole('tab', { name: 'Done' }).click();
  await expect(page.getByTestId('job-item')).toHaveCount(final);
});
