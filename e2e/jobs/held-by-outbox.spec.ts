import type { Route } from '@playwright/test';
import { expect, seedDeadLetters, test } from '../support/fixtures';
import { cancelJob, expectJobStatus, jsonSeeds, screenshotBoth, startReplayAll } from '../support/job-fixtures';

// A replay job held because the publisher is behind (lib/jobs/outbox-backlog.ts) says so on
// its page and in the jobs list. A real hold needs the shared outbox to be behind, which
// would hold every other job of the e2e run too; so the job is real and the held state is
// put into the API's answer here. lib/jobs/job-outbox-hold.integration.test.ts holds a job
// for real and checks the API's field.

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);

// At 1 message a second the job is still running after the steps below.
const N = 30;
let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;

test.beforeAll(async () => {
  seeded = await seedDeadLetters('job-held', jsonSeeds(N, 'held'));
});
test.afterAll(async () => {
  await seeded?.cleanup();
});

test('a job held by the outbox says why on its page and in the list, and the notice goes once it is not', async ({ page, operator: _ }) => {
  let held: { due: number; limit: number } | null = { due: 201, limit: 200 };
  const withHold = (job: Record<string, unknown>) => (job.status === 'running' ? { ...job, heldByOutbox: held } : job);
  // The page polls every second: a poll caught in a handler by a navigation (or the page
  // closing) has no one left to answer, and is dropped rather than failing the test. What
  // the page shows is asserted below.
  const rewrite = (change: (body: Record<string, unknown>) => Record<string, unknown>) => async (route: Route) => {
    try {
      const response = await route.fetch();
      await route.fulfill({ response, json: change(await response.json()) });
    } catch {
      await route.abort().catch(() => {});
    }
  };
  await page.route(/\/api\/v1\/jobs\/[0-9a-f-]{36}$/, rewrite(withHold));
  await page.route(/\/api\/v1\/jobs\?/, rewrite((body) => ({ ...body, items: (body.items as Record<string, unknown>[]).map(withHold) })));

  await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
  await expect(page.getByTestId('matching-count')).toHaveText(`${N} matching`);
  await startReplayAll(page, N, 1);
  await expectJobStatus(page, 'running');

  const notice = page.getByTestId('held-by-outbox');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Holding: the publisher is behind');
  await expect(notice).toContainText('More than 200 messages wait to be published');
  await screenshotBoth(page, 'job-held-by-outbox');

  const jobUrl = page.url();
  await page.goto('/jobs');
  const row = page.getByRole('row').filter({ has: page.locator(`a[href="${new URL(jobUrl).pathname}"]`) });
  await expect(row.getByText('holding', { exact: true })).toBeVisible();

  // Back on the job page, still held; then the publisher catches up and the notice goes
  // with the page's next refresh, without a reload.
  await page.goto(jobUrl);
  await expect(page.getByTestId('held-by-outbox')).toBeVisible();
  held = null;
  await expect(page.getByTestId('held-by-outbox')).toHaveCount(0, { timeout: 5_000 });
  await expectJobStatus(page, 'running');

  await cancelJob(page);
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});
