import { randomBytes } from 'node:crypto';
import { createOperator, expect, signInOverHttp, test } from '../support/fixtures';

const unique = (label: string) => `${label}-${randomBytes(3).toString('hex')}`;

test('an admin adds a team, edits its destination and deletes it', async ({ page, admin: _ }) => {
  const name = unique('billing');
  await page.goto('/teams');
  await expect(page.getByRole('link', { name: 'Teams' })).toHaveAttribute('aria-current', 'page');

  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Queue').fill('billing.fixes');
  await page.getByLabel('Contact').fill('#billing-oncall');
  await page.getByRole('button', { name: 'Add team' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Added team ${name}.`);
  const row = page.getByRole('table', { name: 'Teams' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('queue billing.fixes');
  await expect(row).toContainText('#billing-oncall');
  await expect(page.getByLabel('Name'), 'the form is cleared for the next team').toHaveValue('');

  // Edit: the same form, filled with the team; a queue becomes an exchange and routing key.
  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByRole('heading', { name: `Edit team ${name}` })).toBeVisible();
  await expect(page.getByLabel('Name')).toBeFocused();
  await page.getByLabel('Queue').fill('');
  await page.getByLabel('Exchange').fill('billing.events');
  await page.getByLabel('Routing key').fill('invoices.dead');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Saved team ${name}.`);
  await expect(row).toContainText('exchange billing.events · key invoices.dead');
  await expect(page.getByRole('button', { name: 'Add team' })).toBeVisible();

  // Delete asks once more, in the row.
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row.getByRole('group', { name: `Delete team ${name}?` })).toBeVisible();
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Deleted team ${name}.`);
  await expect(page.getByRole('table', { name: 'Teams' }).getByRole('row').filter({ hasText: name })).toHaveCount(0);
});

test('the form says what is wrong: both destinations, a duplicate name', async ({ page, admin: _ }) => {
  const name = unique('dup');
  await page.goto('/teams');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Queue').fill('q');
  await page.getByLabel('Exchange').fill('e');
  await page.getByRole('button', { name: 'Add team' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Fill in a queue, or an exchange and routing key: not both.');

  await page.getByLabel('Exchange').fill('');
  await page.getByRole('button', { name: 'Add team' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Added team ${name}.`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Queue').fill('other');
  await page.getByRole('button', { name: 'Add team' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText(`A team named "${name}" already exists`);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('409 CONFLICT');
});

test('a viewer sees the teams but no form, and no Sandboxes link', async ({ page }) => {
  const { createTeam } = await import('../../lib/teams/create-team');
  const name = unique('visible');
  await createTeam({ actor: { kind: 'system', name: 'cli' }, name, exchange: 'ops', routingKey: '' });
  await signInOverHttp(page.request, await createOperator('viewer'));
  await page.goto('/teams');
  await expect(page.getByRole('table', { name: 'Teams' }).getByRole('row').filter({ hasText: name })).toContainText('exchange ops · key (empty)');
  await expect(page.getByText('Only admins add or change teams.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add team' })).toHaveCount(0);
  await expect(page.getByLabel('Name')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Contracts' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Sandboxes' })).toHaveCount(0);
});
