import amqp from 'amqplib';
import { createOperator, expect, seedDeadLetters, signInOverHttp, test } from '../support/fixtures';

// The home page with real dead letters through the real broker and worker: the chart and
// the table show them, and new ones appear without a reload (the page polls).

const RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const LIVE = { timeout: 30_000 };

test('the dashboard charts real dead letters, counts them per source and updates when more arrive', async ({ page }) => {
  test.slow();
  const seeded = await seedDeadLetters('dashboard', [
    { body: '{"order":1}', messageId: 'd-1' }, { body: '{"order":2}', messageId: 'd-2' }, { body: '{"order":3}', messageId: 'd-3' },
  ]);
  try {
    await signInOverHttp(page.request, await createOperator('viewer'));
    // Counted live a week ago (backfilled rows are no baseline): the 6 days since are known and had none of these, so the baseline is 0.
    const { prisma } = await import('../../lib/db/prisma');
    const weekAgo = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 7 * 24 * 3600_000 - 10 * 60_000);
    await prisma().inflowCount.create({ data: { bucket: weekAgo, sourceQueue: seeded.dlq, originQueue: seeded.work, count: 1, backfilled: false } });

    const bad = await page.request.get('/api/v1/dashboard?range=2h');
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.message).toContain('"range"');

    await page.setViewportSize({ width: 1500, height: 950 });
    await page.goto(`/?source=${encodeURIComponent(seeded.dlq)}`);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    const row = page.getByTestId('dashboard-table').locator(`tr[data-queue="${seeded.dlq}"]`);
    await expect(row.locator('[data-col="last-hour"]')).toHaveText('3', LIVE);
    await expect(row.locator('[data-col="last15m"]')).toHaveText('3');
    await expect(row.locator('[data-col="unresolved"]')).toHaveText('3');
    await expect(row.locator('[data-col="replays"]')).toHaveText('no replays');
    await expect(row.locator('[data-col="baseline"]')).toHaveText('0');
    await expect(row.locator('[data-col="verdict"]')).toHaveText('normal'); // 3 against 0: above needs 5 more
    await expect(page.getByTestId('dashboard-history')).toContainText(/; baseline from \S+/);
    await expect(row.getByRole('link', { name: seeded.dlq })).toHaveAttribute('href', `/messages?source=${encodeURIComponent(seeded.dlq)}`);
    const chart = page.getByTestId('dashboard-chart');
    await expect(page.getByTestId('dashboard-chart-summary')).toContainText('3 dead letters in the last 60 minutes');
    await expect(chart.locator('svg.recharts-surface').first()).toBeVisible();
    const bars = chart.locator('.recharts-bar-rectangle path');
    await expect(bars.first()).toBeVisible();
    const heights = async () => Promise.all((await bars.all()).map(async (b) => (await b.boundingBox())?.height ?? 0));
    // Polled: under load a bar's box has once read as none right after the bar showed.
    await expect.poll(async () => Math.max(...(await heights())), { timeout: 10_000 }).toBeGreaterThan(10);
    await expect(page.getByTestId('dashboard-updated')).toContainText(/Updated \d+s ago/);

    // Two more dead-letter through the broker (their TTL expires at once); the page is not reloaded.
    const marker = await page.evaluate(() => { (window as unknown as { stay: number }).stay = 42; return 42; });
    const connection = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    for (const id of ['d-4', 'd-5']) channel.sendToQueue(seeded.work, Buffer.from('{"order":9}'), { messageId: id, expiration: '1' });
    await channel.close();
    await connection.close();
    await expect(row.locator('[data-col="last-hour"]')).toHaveText('5', LIVE);
    await expect(row.locator('[data-col="unresolved"]')).toHaveText('5', LIVE);
    await expect(row.locator('[data-col="verdict"]')).toHaveText('▲ above baseline');
    await expect(page.getByTestId('dashboard-chart-summary')).toContainText('5 dead letters in the last 60 minutes', LIVE);
    expect(await page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(marker);

    // The other views answer from the same data.
    await page.keyboard.press('2');
    await expect(page).toHaveURL(/range=24h/);
    await expect(page.getByTestId('dashboard-chart-summary')).toContainText('5 dead letters in the last 24 hours', LIVE);
    await page.getByRole('button', { name: 'Per origin' }).click();
    await expect(page.getByRole('columnheader', { name: 'Origin' })).toBeVisible();
    await expect(page.getByTestId('dashboard-table').locator(`tr[data-queue="${seeded.work}"] [data-col="last-hour"]`)).toHaveText('5', LIVE);

    for (const theme of ['light', 'dark'] as const) {
      await page.context().addCookies([{ name: 'theme', value: theme, url: process.env.E2E_BASE_URL! }]);
      await page.goto('/');
      await expect(page.getByTestId('dashboard-table').locator(`tr[data-queue="${seeded.dlq}"]`)).toBeVisible(LIVE);
      await expect(page.locator('html')).toHaveClass(new RegExp(`\\b${theme}\\b`));
      await page.screenshot({ path: `test-results/screenshots/dashboard-${theme}.png`, fullPage: true });
    }
  } finally {
    await seeded.cleanup();
  }
});
