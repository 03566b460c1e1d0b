import { randomBytes } from 'node:crypto';
import { createOperator, expect, signInOverHttp, test } from '../support/fixtures';

const unique = (label: string) => `${label}-${randomBytes(3).toString('hex')}`;

test('an admin adds a sandbox, sees its URL without the password, and deletes it', async ({ page, admin: _ }) => {
  const name = unique('staging');
  await page.goto('/teams');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sandboxes' }).click();
  await expect(page).toHaveURL(/\/sandboxes$/);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('URL').fill('amqps://replayer:TopSecret123@staging.example.com:5671/%2F');
  await page.getByRole('button', { name: 'Add sandbox' }).click();
  const row = page.getByRole('table', { name: 'Sandboxes' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('amqps://replayer:***@staging.example.com:5671/%2F');
  await expect(page.getByText('TopSecret123')).toHaveCount(0);

  await page.getByLabel('Name').fill(unique('web'));
  await page.getByLabel('URL').fill('https://example.com');
  await page.getByRole('button', { name: 'Add sandbox' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('must start with amqp:// or amqps://');

  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Deleted sandbox ${name}.`);
});

test('an admin sets a contract; a bad schema is refused with the reason; a viewer reads it', async ({ page, browser, admin: _ }) => {
  const origin = unique('orders');
  await page.goto('/contracts');
  await page.getByLabel('Origin queue').fill(origin);
  await page.getByLabel('JSON Schema').fill('{ "type": "objekt" }');
  await page.getByRole('button', { name: 'Save contract' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('The JSON Schema is not valid');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('400 INVALID_INPUT');

  await page.getByLabel('JSON Schema').fill('{ "type": "object", "required": [orderId] }');
  await page.getByRole('button', { name: 'Save contract' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('The JSON Schema is not JSON');

  await page.getByLabel('JSON Schema').fill('{ "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["orderId"] }');
  await page.getByRole('button', { name: 'Save contract' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Saved the contract of ${origin}.`);
  const row = page.getByRole('table', { name: 'Contracts' }).getByRole('row').filter({ hasText: origin });
  await expect(row).toContainText('2020-12');

  const viewer = await browser.newPage();
  await signInOverHttp(viewer.request, await createOperator('viewer'));
  await viewer.goto('/contracts');
  const seen = viewer.getByRole('table', { name: 'Contracts' }).getByRole('row').filter({ hasText: origin });
  await seen.getByRole('button', { name: 'Show schema' }).click();
  await expect(viewer.getByLabel(`JSON Schema of ${origin}`)).toContainText('"orderId"');
  await expect(viewer.getByRole('button', { name: 'Save contract' })).toHaveCount(0);
  await expect(seen.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await viewer.close();

  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Removed the contract of ${origin}.`);
});
