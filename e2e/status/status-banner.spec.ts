import { randomBytes } from 'node:crypto';
import { createOperator, expect, signInOverHttp, test } from '../support/fixtures';

// The console-wide status banner against the real server and worker. Stopping the shared
// broker is not an option here, so the outage is a second worker's heartbeat row saying
// it has been without RabbitMQ for three minutes; it is deleted at the end and the banner
// must go away by itself. Screenshots in both themes, for a person to look at, in
// test-results/screenshots.

test.use({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' });

const DIR = 'test-results/screenshots';

async function prisma() {
  return (await import('../../lib/db/prisma')).prisma();
}

test('a worker without RabbitMQ shows a banner on every console page, from the first paint, in both themes, and it clears by itself', async ({ page }) => {
  test.slow();
  const workerId = `e2e-status:${process.pid}:${randomBytes(3).toString('hex')}`;
  const lostAt = new Date(Date.now() - 3 * 60_000);
  await signInOverHttp(page.request, await createOperator('viewer'));

  const before = await page.request.get('/api/v1/status');
  expect(before.status()).toBe(200);
  expect(before.headers()['cache-control']).toBe('no-store');

  const db = await prisma();
  // Kept fresh while the test runs, as a live worker would keep it.
  const write = () => db.$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, seen_at, consuming, broker_down_since)
    VALUES (${workerId}, 'e2e-status', 1, now() - interval '10 minutes', now(), '{}', ${lostAt})
    ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()`;
  await write();
  const keepFresh = setInterval(() => void write().catch(() => {}), 3000);
  try {
    const status = await (await page.request.get('/api/v1/status')).json();
    expect(status).toMatchObject({ status: 'degraded', problems: [{ kind: 'worker-broker', since: lostAt.toISOString(), down: 1 }] });
    const of = status.problems[0].of as number;
    expect(of).toBeGreaterThanOrEqual(2); // the e2e worker, still connected, and this row
    // Nothing about where anything is: no host, port, credentials or worker id.
    expect(JSON.stringify(status)).not.toMatch(/127\.0\.0\.1|guest|amqp:|e2e-status/);

    // The server renders the banner with the page: it is there at first paint, not pushed in after.
    const html = await (await page.request.get('/messages')).text();
    expect(html).toContain('data-testid="status-banner"');
    expect(html).toContain(`1 of ${of} workers cannot reach RabbitMQ since`);

    const hhmm = lostAt.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
    await page.emulateMedia({ colorScheme: 'light' });
    for (const theme of ['light', 'dark'] as const) {
      await page.context().addCookies([{ name: 'theme', value: theme, url: process.env.E2E_BASE_URL! }]);
      for (const path of ['/', '/messages']) {
        await page.goto(path);
        const banner = page.getByTestId('status-banner');
        await expect(banner).toBeVisible();
        await expect(banner).toHaveAttribute('role', 'status');
        await expect(banner).toContainText(`1 of ${of} workers cannot reach RabbitMQ since ${hhmm} — they are reconnecting; the others keep ingesting and replaying.`);
        await expect(banner.locator('strong')).toHaveAttribute('title', /\(UTC[+-]\d\d:\d\d\)$/);
      }
      // No layout jump: the page does not move when the banner's polls come back (it polls every 5 s while degraded).
      const main = page.getByRole('main');
      const top = (await main.boundingBox())!.y;
      await page.waitForResponse((r) => r.url().endsWith('/api/v1/status'), { timeout: 15_000 });
      expect((await main.boundingBox())!.y).toBe(top);
      await page.screenshot({ path: `${DIR}/status-banner-${theme}.png` });
    }
  } finally {
    clearInterval(keepFresh);
    await db.workerHeartbeat.deleteMany({ where: { workerId } });
  }
  // Recovery: the banner goes away by itself, without a reload.
  const marker = await page.evaluate(() => { (window as unknown as { stay: number }).stay = 7; return 7; });
  await expect(page.getByTestId('status-banner')).toBeHidden({ timeout: 20_000 });
  expect(await page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(marker);
  expect(await (await page.request.get('/api/v1/status')).json()).toMatchObject({ status: 'ok', problems: [] });
});
