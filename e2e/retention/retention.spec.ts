import { createOperator, expect, signInOverHttp, test } from '../support/fixtures';
import { createDeadLetterTopology, screenshotBoth } from '../support/ownership-fixtures';

// An admin sets how long discarded messages are kept, for every source, and removes it
// again; an auditor reads the same grid without inputs. The purge itself is proven in
// lib/retention/retention.integration.test.ts.

const lib = { prisma: () => import('../../lib/db/prisma') };

let topology: Awaited<ReturnType<typeof createDeadLetterTopology>> | undefined;
test.afterAll(async () => topology?.cleanup());

test('an admin keeps discarded messages 30 days everywhere, and for ever for one source; an auditor reads it', async ({ page, browser }) => {
  const { prisma } = await lib.prisma();
  const source = await createDeadLetterTopology('retention');
  topology = source;
  await signInOverHttp(page.request, await createOperator('admin'));
  await page.goto('/admin/retention');
  await expect(page.getByRole('heading', { name: 'Retention' })).toBeVisible();
  const grid = page.getByRole('table', { name: 'Retention policies' });
  // Only resolved messages have a policy: unresolved ones are never purged.
  await expect(page.getByText('new, edited and failed messages are never purged')).toBeVisible();
  await expect(grid.getByRole('columnheader')).toHaveText(['Source', 'replayed', 'redirected', 'discarded', 'Actions']);
  const everySource = grid.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '*', exact: true }) });
  const cell = everySource.getByLabel('Days to keep discarded messages of every source (*)');

  await cell.fill('0');
  await expect(everySource.getByRole('button', { name: 'Save' })).toBeDisabled();
  await cell.fill('30');
  await everySource.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved retention for every source (*).')).toBeVisible();
  await expect.poll(async () => (await prisma().retentionPolicy.findUnique({ where: { sourceQueue_status: { sourceQueue: '*', status: 'discarded' } } }))?.days).toBe(30);
  expect(await prisma().auditEvent.count({ where: { action: 'retention_policy.set', subject: 'retention:*/discarded' } })).toBeGreaterThanOrEqual(1);
  await page.reload();
  await expect(cell).toHaveValue('30');

  // One source keeps its discarded messages whatever '*' says; its empty cells show what '*' gives them.
  const sourceRow = grid.getByRole('row').filter({ has: page.getByRole('rowheader', { name: source.dlq, exact: true }) });
  await expect(sourceRow.getByLabel(`Days to keep discarded messages of ${source.dlq}`)).toHaveAttribute('placeholder', '30 (*)');
  await sourceRow.getByLabel(`Days to keep discarded messages of ${source.dlq}`).fill('forever');
  await sourceRow.getByLabel(`Days to keep replayed messages of ${source.dlq}`).fill('7');
  await sourceRow.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(`Saved retention for ${source.dlq}.`)).toBeVisible();
  await expect.poll(async () => (await prisma().retentionPolicy.findMany({ where: { sourceQueue: source.dlq }, orderBy: { status: 'asc' } })).map((p) => [p.status, p.days]))
    .toEqual([['replayed', 7], ['discarded', null]]);
  await screenshotBoth(page, 'retention');

  const auditorContext = await browser.newContext();
  const auditor = await auditorContext.newPage();
  await signInOverHttp(auditor.request, await createOperator('auditor'));
  await auditor.goto('/admin/retention');
  const readOnly = auditor.getByRole('table', { name: 'Retention policies' });
  await expect(readOnly.getByRole('row').filter({ has: auditor.getByRole('rowheader', { name: '*', exact: true }) })).toContainText('30 d');
  await expect(readOnly.getByRole('row').filter({ has: auditor.getByRole('rowheader', { name: source.dlq, exact: true }) })).toContainText('7 d');
  await expect(readOnly.getByRole('textbox')).toHaveCount(0);
  await screenshotBoth(auditor, 'retention-auditor');
  await auditorContext.close();

  // Emptied: kept for ever again, the policy removed.
  await cell.fill('');
  await everySource.getByRole('button', { name: 'Save' }).click();
  await expect.poll(async () => prisma().retentionPolicy.count({ where: { sourceQueue: '*', status: 'discarded' } })).toBe(0);
  await prisma().retentionPolicy.deleteMany({ where: { sourceQueue: source.dlq } });
});
