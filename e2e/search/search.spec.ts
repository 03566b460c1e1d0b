import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, seedDeadLetters, test } from '../support/fixtures';
import { screenshotBoth } from '../support/job-fixtures';

// An operator finds dead letters by a word of their body, a header value and a JSON path,
// and a search the API refuses says why under the field, not as a blank list.

const letters = (n: number) => [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
const bodyWord = `quokka${letters(6)}`;
const headerWord = `wombat${letters(6)}`;
const customer = `cust-${letters(5)}`;
const search = (page: Page) => page.getByRole('textbox', { name: 'Search', exact: true });
const pathBox = (page: Page) => page.getByRole('textbox', { name: 'JSON path', exact: true });
let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;

test.beforeAll(async () => {
  seeded = await seedDeadLetters('search', [
    { body: JSON.stringify({ customer: { id: customer, tier: 2 }, items: [{ sku: 'S-1' }, { sku: 'S-2' }], error: `the ${bodyWord} service timed out` }), contentType: 'application/json', messageId: 'search-json' },
    { body: 'plain text nobody searches for', contentType: 'text/plain', messageId: 'search-text', headers: { 'x-tenant': `${headerWord} industries` } },
    { body: JSON.stringify({ customer: { id: 'someone-else', tier: 5 }, items: [{ sku: 'S-3' }] }), messageId: 'search-other' },
  ]);
});
test.afterAll(async () => seeded?.cleanup());

test('finds a word of a body and of a header value, and filters by a JSON path', async ({ page, operator: _ }) => {
  await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
  const table = page.getByRole('table', { name: 'Dead letters' });
  await expect(table.getByRole('row')).toHaveCount(4);

  await page.keyboard.press('/');
  await expect(search(page)).toBeFocused();
  await page.keyboard.type(bodyWord);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('search-json');
  await expect(page).toHaveURL(new RegExp(`q=${bodyWord}`));

  await search(page).fill(headerWord);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('search-text');

  await search(page).fill(`${headerWord} OR ${bodyWord} -industries`);
  await search(page).press('Enter');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('search-json');

  await search(page).fill('');
  await search(page).press('Enter');
  await pathBox(page).fill(`$.customer.id = "${customer}"`);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('search-json');

  await pathBox(page).fill('$.items[*].sku == "S-3"');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('search-other');

  await pathBox(page).fill('$.customer.tier >= 2');
  await expect(table.getByRole('row')).toHaveCount(3);
});

test('a search the API refuses shows its message under the field', async ({ page, operator: _ }) => {
  await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
  await page.getByRole('button', { name: 'syntax' }).click();
  await expect(page.getByRole('dialog', { name: 'Search syntax' })).toContainText('"exact phrase"');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Search syntax' })).toBeHidden();

  await search(page).fill('timeout "payment gateway');
  await search(page).press('Enter');
  await expect(page).toHaveURL(/q=timeout/);
  const error = page.locator('#filter-q-error');
  await expect(error).toHaveText('Search: a quote is not closed (at character 9)');
  await expect(search(page)).toHaveAttribute('aria-invalid', 'true');

  await search(page).fill('');
  await search(page).press('Enter');
  await expect(error).toBeHidden();
  await pathBox(page).fill("$.customer.id = 'x'");
  await pathBox(page).press('Enter');
  await expect(page.locator('#filter-path-error')).toHaveText('JSON path: strings take double quotes, e.g. "42" (at character 17)');

  await pathBox(page).fill('');
  await pathBox(page).press('Enter');
  await search(page).fill('OR timeout');
  await search(page).press('Enter');
  await expect(error).toHaveText('Search: OR needs a term before it (at character 1)');
  await search(page).blur();
  await screenshotBoth(page, 'search-filter-bar-error');
  await page.getByRole('button', { name: 'syntax' }).click();
  await screenshotBoth(page, 'search-syntax-help');
});

test('the API answers 400 for bad search syntax, and hostile text is data', async ({ page, operator: _ }) => {
  for (const [query, message] of [
    ['q=abc%20%22def', 'Invalid query parameter "q": a quote is not closed (at character 5)'],
    ['q=-%20abc', 'Invalid query parameter "q": "-" must be followed by a word to exclude, without a space (at character 1)'],
    ['q=abc%20OR', 'Invalid query parameter "q": OR needs a term after it (at character 5)'],
    ['path=%24.a%20~%201', 'Invalid query parameter "path": expected an operator (= == != < <= > >=) after the path, found "~" (at character 5)'],
  ]) {
    for (const endpoint of ['/api/v1/messages', '/api/v1/messages/counts']) {
      const response = await page.request.get(`${endpoint}?${query}`);
      expect(response.status(), `${endpoint}?${query}`).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: 'INVALID_INPUT', message });
    }
  }
  for (const q of [`it's & | ! ( ) : * \\`, `'); DROP TABLE messages; --`, '"naïve ☃" café 😀']) {
    const response = await page.request.get(`/api/v1/messages?source=${encodeURIComponent(seeded.dlq)}&q=${encodeURIComponent(q)}`);
    expect(response.status(), q).toBe(200);
    expect((await response.json()).items).toEqual([]);
  }
  const counts = await (await page.request.get(`/api/v1/messages/counts?source=${encodeURIComponent(seeded.dlq)}&q=${bodyWord}`)).json();
  expect(counts).toEqual({ total: 1, bySource: [{ source: seeded.dlq, count: 1 }], byReason: [{ reason: 'rejected', count: 1 }], capped: false });
});
