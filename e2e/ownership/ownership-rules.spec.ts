import { randomBytes } from 'node:crypto';
import { createOperator, createToken, expect, signInOverHttp, test } from '../support/fixtures';
import { createDeadLetterTopology, screenshotBoth, waitForOwner } from '../support/ownership-fixtures';

// A support lead writes a rule, previews it against stored messages before saving, saves
// it; new messages it matches are tagged with the team, and the rule's count opens the
// message list filtered to that owner. Then an admin turns auto-redirect on for a source
// on the Sources page and a new message lands in the owning team's queue.

test.setTimeout(120_000);

test('a rule previewed before it is saved tags new messages; its count opens them filtered by owner', async ({ page }) => {
  const tenant = `acme-${randomBytes(3).toString('hex')}`;
  const topology = await createDeadLetterTopology('own-rules');
  try {
    const team = await topology.team('billing');
    const stored = await topology.deadLetter(2, { 'x-tenant': tenant });
    await topology.deadLetter(1, { 'x-tenant': 'someone-else' });

    await signInOverHttp(page.request, await createOperator('support_lead'));
    await page.goto('/admin/ownership-rules');
    await expect(page.getByRole('heading', { name: 'Ownership rules' })).toBeVisible();
    await page.getByRole('button', { name: 'Add rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an ownership rule' });
    await dialog.getByLabel('Team').selectOption({ label: team.name });
    await dialog.getByLabel('Match by').selectOption('header');
    await dialog.getByLabel('Header name').fill('x-tenant');
    await dialog.getByLabel('Value').fill(`${tenant.slice(0, 5)}*`);
    await expect(dialog.getByText('* stands for any characters')).toBeVisible();
    // A pattern that is too wide shows first; narrowing it hides the stale preview until asked again.
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByTestId('preview-summary')).toContainText('Matches');
    await dialog.getByLabel('Value').fill(tenant);
    await expect(dialog.getByText('The rule changed since the preview')).toBeVisible();
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByTestId('preview-summary')).toHaveText(/^Matches 2 of the \d[\d,]* most recent messages; 2 would change owner\.$/);
    const sample = dialog.getByRole('table', { name: 'Matched messages (sample)' });
    for (const id of stored) await expect(sample.getByRole('link', { name: id, exact: true })).toBeVisible();
    await screenshotBoth(page, 'ownership-rule-preview');

    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(`Added rule`).filter({ hasText: team.name })).toBeVisible();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: team.name }) });
    await expect(row).toContainText('x-tenant');
    await expect(row).toContainText('0 tagged');

    // Rules apply as messages arrive.
    const tagged = await topology.deadLetter(2, { 'x-tenant': tenant });
    await waitForOwner(tagged, team.id);
    await page.reload();
    await expect(row).toContainText('2 tagged');
    await screenshotBoth(page, 'ownership-rules');

    await row.getByRole('link', { name: '2 tagged' }).click();
    await expect(page).toHaveURL(new RegExp(`/messages\\?owner=${team.id}`));
    const list = page.getByRole('table', { name: 'Dead letters' });
    for (const id of tagged) await expect(list.locator(`tr[data-message-id="${id}"]`)).toBeVisible();
    await expect(list.locator('tr[data-message-id]')).toHaveCount(2);

    // Switched off, then deleted: each change is audited.
    await page.goto('/admin/ownership-rules');
    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(row).toContainText('disabled');
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('group', { name: /Delete rule/ }).getByRole('button', { name: 'Delete' }).click();
    await expect(row).toHaveCount(0);
  } finally {
    await topology.cleanup();
  }
});

test('auto-redirect turned on for a source on the Sources page sends a new message to the team its rule names', async ({ page }) => {
  const topology = await createDeadLetterTopology('own-auto');
  try {
    const team = await topology.team('shipping');
    const admin = await createToken('admin');
    const made = await page.request.post('/api/v1/ownership-rules', {
      headers: { authorization: `Bearer ${admin.token}` },
      data: { teamId: team.id, matchKind: 'origin_queue', pattern: topology.work },
    });
    expect(made.status()).toBe(201);

    await signInOverHttp(page.request, await createOperator('admin'));
    await page.goto('/sources');
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: topology.dlq }) });
    // The box shows the source as stored: it turns checked once the change is saved.
    const auto = row.getByRole('checkbox', { name: 'auto-redirect' });
    await auto.click();
    await expect(auto).toBeChecked();
    await expect(page.getByText(`${topology.dlq}: new messages go to the team an ownership rule names.`)).toBeVisible();
    await expect(row.getByRole('checkbox', { name: 'unmatched to every team' })).toBeEnabled();
    await screenshotBoth(page, 'sources-auto-redirect');

    const [id] = await topology.deadLetter(1);
    await expect.poll(() => topology.messageCount(team.queue), { timeout: 30_000 }).toBe(1);
    await page.goto(`/messages/${id}`);
    await expect(page.getByText('redirected', { exact: true }).first()).toBeVisible();
  } finally {
    await topology.cleanup();
  }
});
