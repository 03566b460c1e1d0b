import { expect, test } from '../support/fixtures';
import { massTransitFailure, nServiceBusFailure, runTag, seedGroupedDeadLetters, springFailure } from '../support/group-fixtures';

// The groups list and a group page in both themes, for a person to look at (not a pixel
// comparison), in test-results/screenshots.
test.use({ viewport: { width: 1440, height: 900 } });

const DIR = 'test-results/screenshots';
const tag = runTag();
let seeded: Awaited<ReturnType<typeof seedGroupedDeadLetters>>;

test.beforeAll(async () => {
  seeded = await seedGroupedDeadLetters(`group-shots-${tag}`, [
    ...[812, 907, 31_337, 4_242].map((id) => springFailure(tag, id)),
    ...[1, 2, 3, 4, 5, 6].map((n) => massTransitFailure(tag, n)),
    ...[7, 8].map((n) => nServiceBusFailure(tag, n)),
  ]);
});
test.afterAll(async () => seeded?.cleanup());

test('groups list and group page, light and dark', async ({ page, admin: _ }) => {
  const groupId = await seeded.groupIdOf(`mt-${tag}-1`);
  for (const theme of ['light', 'dark'] as const) {
    await page.context().addCookies([{ name: 'theme', value: theme, url: process.env.E2E_BASE_URL! }]);
    await page.goto(`/groups?origin=${encodeURIComponent(seeded.work)}&sort=count`);
    await expect(page.getByRole('table', { name: 'Failure groups' }).locator('tbody tr[data-group-id]')).toHaveCount(3);
    await page.getByLabel(/Category transient/).click();
    await page.screenshot({ path: `${DIR}/groups-${theme}.png`, fullPage: true });

    await page.goto(`/groups/${groupId}`);
    await expect(page.getByRole('table', { name: 'Dead letters' }).locator('tbody tr[data-message-id]')).toHaveCount(6);
    await page.screenshot({ path: `${DIR}/group-${theme}.png`, fullPage: true });
  }

  // The message page names its group, with the guidance and the origin's runbook.
  const set = await page.request.put('/api/v1/runbooks', {
    headers: { origin: process.env.E2E_BASE_URL! }, data: { kind: 'origin', key: seeded.work, url: 'https://wiki.example.com/runbooks/payments' },
  });
  expect(set.status()).toBe(200);
  await page.context().addCookies([{ name: 'theme', value: 'light', url: process.env.E2E_BASE_URL! }]);
  await page.goto(`/messages/${seeded.idOf(`mt-${tag}-1`)}`);
  await expect(page.getByRole('region', { name: 'Failure group' }).getByRole('link', { name: /Runbook/ })).toHaveAttribute('href', 'https://wiki.example.com/runbooks/payments');
  await page.screenshot({ path: `${DIR}/message-group-light.png` });
});
