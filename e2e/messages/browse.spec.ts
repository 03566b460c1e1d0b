import { gzipSync } from 'node:zlib';
import { expect, seedDeadLetters, test } from '../support/fixtures';

// An operator signs in, finds dead letters by filter, and reads JSON, text, binary,
// gzip and hostile messages as they arrived.

const hostile = '<script>window.__pwned=1;alert(1)</script>"><img src=x onerror="window.__pwned=2">';
const binary = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x80, 0x41]);
let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;

test.beforeAll(async () => {
  seeded = await seedDeadLetters('browse', [
    { body: JSON.stringify({ orderId: 'ord-77', total: 12.5, paid: false, lines: [{ sku: 'A-1' }] }), contentType: 'application/json', messageId: 'browse-json', headers: { 'x-tenant': 'acme', 'x-sent-at': { '!': 'timestamp', value: 1_700_000_000 } } },
    { body: 'plain words for a person', contentType: 'text/plain', messageId: 'browse-text', reason: 'expired' },
    { body: binary, contentType: 'application/x-protobuf', messageId: 'browse-binary' },
    { body: gzipSync(Buffer.from('{"zipped":true}')), contentType: 'application/json', contentEncoding: 'gzip', messageId: 'browse-gzip' },
    { body: hostile, contentType: 'text/html', messageId: 'browse-hostile', headers: { 'x-note': hostile, [hostile.slice(0, 40)]: 'key is hostile too' } },
  ]);
});
test.afterAll(async () => seeded?.cleanup());

test.beforeEach(async ({ page }) => {
  page.on('dialog', (dialog) => { throw new Error(`a dialog opened: ${dialog.message()}`); });
});

test('the list shows the seeded dead letters and filters by reason and search', async ({ page, operator: _ }) => {
  await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
  const table = page.getByRole('table', { name: 'Dead letters' });
  await expect(table.getByRole('row')).toHaveCount(6); // header + 5
  await expect(table).toContainText('browse-json');
  await expect(table).toContainText(seeded.work);

  await page.getByLabel('Reason').selectOption('expired');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('browse-text');
  await expect(page).toHaveURL(/reason=expired/);

  await page.getByLabel('Reason').selectOption('');
  await page.getByLabel('Search').fill('browse-bin');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('browse-binary');
});

test('a filter that matches nothing says so, and a bad one shows the API error', async ({ page, operator: _ }) => {
  await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}&reason=maxlen`);
  await expect(page.getByText('No dead letters match these filters')).toBeVisible();
  await page.goto('/messages?q=ab');
  await expect(page.getByText(/"q"/)).toBeVisible();
});

test('keyboard: / focuses search, j and Enter open a message, Escape returns', async ({ page, operator: _ }) => {
  await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
  await expect(page.getByRole('table', { name: 'Dead letters' }).getByRole('row')).toHaveCount(6);
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/messages\/\d+/);
  await expect(page.getByRole('heading', { name: 'Body' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/\/messages(\?|$)/);
});

test('a JSON message shows its body, typed headers and x-death history', async ({ page, operator: _ }) => {
  await page.goto(`/messages/${seeded.idOf('browse-json')}`);
  await expect(page.getByRole('heading', { name: 'Body' })).toBeVisible();
  await expect(page.getByText('"orderId"')).toBeVisible();
  await expect(page.getByText('"ord-77"')).toBeVisible();
  const headers = page.getByRole('table', { name: 'Headers' });
  await expect(headers).toContainText('x-tenant');
  await expect(headers).toContainText('timestamp');
  await expect(headers).toContainText('2023-11-14T22:13:20');
  const xDeath = page.getByRole('table', { name: 'x-death history' });
  await expect(xDeath).toContainText(seeded.work);
  await expect(xDeath).toContainText('rejected');
});

test('a text message shows as text', async ({ page, operator: _ }) => {
  await page.goto(`/messages/${seeded.idOf('browse-text')}`);
  await expect(page.getByText('plain words for a person')).toBeVisible();
  await expect(page.getByRole('table', { name: 'x-death history' })).toContainText('expired');
});

test('a binary message shows a hex dump and downloads byte-identical', async ({ page, operator: _ }) => {
  await page.goto(`/messages/${seeded.idOf('browse-binary')}`);
  await expect(page.getByText(/de ad be ef 00 ff 80 41/i)).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download body' }).click()]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  expect((await readFile(path)).equals(binary)).toBe(true);
});

test('a gzip body is decompressed in the browser', async ({ page, operator: _ }) => {
  await page.goto(`/messages/${seeded.idOf('browse-gzip')}`);
  await expect(page.getByText('"zipped"')).toBeVisible();
});

test('hostile strings in body and headers render as text and never run', async ({ page, operator: _ }) => {
  await page.goto(`/messages/${seeded.idOf('browse-hostile')}`);
  await expect(page.getByRole('heading', { name: 'Body' })).toBeVisible();
  await expect(page.getByText(hostile).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Headers' })).toContainText('<script>window.__pwned=1;');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
});

test('an unknown message id says it does not exist', async ({ page, operator: _ }) => {
  await page.goto('/messages/987654321987');
  await expect(page.getByText('This message does not exist')).toBeVisible();
});
