import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { expectJobStatus } from '../support/job-fixtures';
import { massTransitFailure, runTag, seedGroupedDeadLetters, springFailure } from '../support/group-fixtures';

// The triage walkthrough of docs/operator-guide.md, as an on-call engineer does it: the
// dashboard shows the spike, an alert fired, the groups say why, a message shows the
// details, a canary bulk replay sends them back, the audit says who did it. Each step
// checks what the page shows, then takes the guide's screenshot. `npm run docs:screenshots`
// writes them into docs/images; the suite writes them into test-results/guide.

const DIR = process.env.GUIDE_SCREENSHOT_DIR ?? 'test-results/guide';
const tag = runTag();
const ORDER_IDS = [812, 907, 31_337, 4_242];
let seeded: Awaited<ReturnType<typeof seedGroupedDeadLetters>>;

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(180_000);

test.beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  seeded = await seedGroupedDeadLetters(`guide-${tag}`, [
    ...ORDER_IDS.map((id) => springFailure(tag, id)),
    ...[1, 2, 3].map((n) => massTransitFailure(tag, n)),
  ]);
});
test.afterAll(async () => seeded?.cleanup());

const shot = (page: Page, name: string) => page.screenshot({ path: `${DIR}/${name}.png`, fullPage: true, animations: 'disabled' });

test('triage walkthrough: dashboard, alert, groups, message, canary replay, audit', async ({ page, admin: _ }) => {
  const headers = { origin: process.env.E2E_BASE_URL! };

  // 1. The dashboard: this source dead-lettered 7 messages in the last hour, all unresolved.
  await page.goto(`/?source=${encodeURIComponent(seeded.dlq)}`);
  const row = page.getByTestId('dashboard-table').locator(`tr[data-queue="${seeded.dlq}"]`);
  await expect(row.locator('[data-col="last-hour"]')).toHaveText('7', { timeout: 30_000 });
  await expect(row.locator('[data-col="unresolved"]')).toHaveText('7');
  await expect(page.getByTestId('dashboard-chart').locator('.recharts-bar-rectangle path').first()).toBeVisible();
  await shot(page, 'guide-1-dashboard');

  // 2. An alert rule on the source's inflow fires within a few evaluations.
  const created = await page.request.post('/api/v1/alert-rules', {
    headers,
    data: { name: `Orders spike ${tag}`, subjectKind: 'source', subject: seeded.dlq, metric: 'inflow', comparison: 'above', threshold: 0.5, windowMinutes: 5 },
  });
  expect(created.status()).toBe(201);
  const { rule } = await created.json();
  try {
    await page.goto('/alerts');
    const alert = page.getByTestId('open-alert').filter({ hasText: `Orders spike ${tag}` });
    await expect(alert).toContainText('firing', { timeout: 30_000 });
    await shot(page, 'guide-2-alerts');
  } finally {
    const current = await (await page.request.get('/api/v1/alert-rules')).json();
    const version = current.items.find((r: { id: string }) => r.id === rule.id)?.version ?? rule.version;
    expect((await page.request.delete(`/api/v1/alert-rules/${rule.id}`, { headers, data: { version } })).status()).toBe(200);
  }

  // 3. The groups of this origin: the Spring timeout (4 orders) and the MassTransit fault (3).
  await page.goto(`/groups?origin=${encodeURIComponent(seeded.work)}&sort=count`);
  const groups = page.getByRole('table', { name: 'Failure groups' }).locator('tbody tr[data-group-id]');
  await expect(groups).toHaveCount(2);
  await shot(page, 'guide-3-groups');

  // 4. The biggest group: what failed, how often, since when, what to do.
  const groupId = await seeded.groupIdOf(`spring-${tag}-${ORDER_IDS[0]}`);
  await page.goto(`/groups/${groupId}`);
  await expect(page.getByRole('table', { name: 'Dead letters' }).locator('tbody tr[data-message-id]')).toHaveCount(ORDER_IDS.length);
  await shot(page, 'guide-4-group');

  // 5. One message: headers, x-death, the body.
  await page.goto(`/messages/${seeded.idOf(`spring-${tag}-${ORDER_IDS[0]}`)}`);
  await expect(page.getByText(seeded.work).first()).toBeVisible();
  await shot(page, 'guide-5-message');

  // 6. The consumer is fixed: replay the group with a canary, dry run first.
  await page.goto(`/groups/${groupId}`);
  await page.getByRole('button', { name: 'Replay all…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay all matching messages' });
  await dialog.getByLabel('Canary first').check();
  await dialog.getByLabel('Canary size').fill('1');
  await dialog.getByLabel('Then wait (seconds)').fill('2');
  await dialog.getByLabel('Reason').fill('price service fixed in 2.4.1');
  await dialog.getByRole('button', { name: 'Dry run', exact: true }).click();
  await expect(dialog.getByTestId('dry-run')).toContainText(`exactly ${ORDER_IDS.length} messages`);
  await shot(page, 'guide-6-dry-run');

  // 7. The job: the canary passes, the rest follow, every message replayed once.
  await dialog.getByRole('button', { name: `Replay ${ORDER_IDS.length} messages` }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expectJobStatus(page, 'completed', 60_000);
  await expect(page.getByTestId('job-done')).toHaveText(String(ORDER_IDS.length));
  await shot(page, 'guide-7-job');

  // 8. The audit record: who replayed what, why, and the broker's answer.
  await page.goto(`/audit?action=replays&source=${encodeURIComponent(seeded.dlq)}`);
  await expect(page.getByText('price service fixed in 2.4.1').first()).toBeVisible();
  await shot(page, 'guide-8-audit');
});
