import { randomBytes } from 'node:crypto';
import { expect, seedDeadLetters, test } from './support/fixtures';

let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
const missing = `test.e2e-sources.${randomBytes(4).toString('hex')}.never-declared`;

test.beforeAll(async () => {
  seeded = await seedDeadLetters('sources', [{ body: 'one', messageId: 'sources-1' }]);
  const { addSources } = await import('../lib/sources/add-sources');
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [missing] });
});
test.afterAll(async () => {
  await seeded?.cleanup();
  const { removeSource } = await import('../lib/sources/remove-source');
  await removeSource({ actor: { kind: 'system', name: 'cli' }, queue: missing });
});

test('sources show what the broker says: consuming, and a queue that does not exist', async ({ page, operator: _ }) => {
  await page.goto('/sources');
  const table = page.getByRole('table', { name: 'Sources' });
  const ok = table.getByRole('row').filter({ hasText: seeded.dlq });
  await expect(ok).toContainText('consuming');
  await expect(ok.getByRole('cell').nth(1)).toHaveText('1'); // stored
  const bad = table.getByRole('row').filter({ hasText: missing });
  await expect(bad).toContainText('is not on the broker');
  await ok.getByRole('link', { name: seeded.dlq }).click();
  await expect(page).toHaveURL(new RegExp(`source=${encodeURIComponent(seeded.dlq).replaceAll('.', '\\.')}`));
  await expect(page.getByRole('table', { name: 'Dead letters' })).toContainText('sources-1');
});
