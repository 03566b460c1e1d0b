import { mkdir } from 'node:fs/promises';
import { recordHostile } from '../../lib/testing/faults/report';
import { expect as baseExpect, test } from '../support/fixtures';
import { changedTables, expectNoInvisible, PAYLOADS, seedHostileMessages, snapshotSeeded, watchForScripts } from '../support/hostile-fixtures';

// Hostile dead letters rendered by the console: the list, the detail page (summary,
// headers, x-death, body as JSON, text and hex, timeline), the edit view with its diff,
// the audit view and the failure group. No payload may run, no link may be javascript:,
// direction overrides show as a marker, and numbers show as they were written.

const DIR = 'test-results/screenshots';
// Every case opens several pages, some of them heavy (a 10,000-deep body, a hex dump).
test.describe.configure({ timeout: 150_000 });
const expect = baseExpect.configure({ timeout: 30_000 });
let seeded: Awaited<ReturnType<typeof seedHostileMessages>>;

test.beforeAll(async () => {
  seeded = await seedHostileMessages('render');
});
test.afterAll(async () => seeded?.cleanup());

/** Runs a read-only case and records it with the seeded rows compared before and after. */
async function readOnlyCase(name: string, outcome: string, run: () => Promise<void>) {
  const before = await snapshotSeeded(seeded.dlq);
  await run();
  const changes = changedTables(before, await snapshotSeeded(seeded.dlq));
  expect(changes, `${name} changed nothing`).toEqual([]);
  await recordHostile({ area: 'rendering', case: name, outcome, changedNothing: changes.length === 0 });
}

test('the list shows hostile ids, queues and routing keys as text', async ({ page, operator: _ }) => {
  const expectNothingRan = watchForScripts(page);
  await readOnlyCase('message list with hostile messages', 'text only; no dialog, no javascript: link; U+202E shown as a marker', async () => {
    await page.goto(`/messages?source=${encodeURIComponent(seeded.dlq)}`);
    const table = page.getByRole('table', { name: 'Dead letters' });
    await expect(table.getByRole('row')).toHaveCount(6);
    await expect(table).toContainText(PAYLOADS.script);
    await expect(table.locator('[data-invisible="U+202E"]').first()).toBeVisible();
    await expectNothingRan('the list');
    await expectNoInvisible(page, 'the list');
  });
});

test('the detail page renders every hostile field as text, in every body view', async ({ page, operator: _ }) => {
  const expectNothingRan = watchForScripts(page);
  await readOnlyCase('detail page: headers, x-death, body JSON/text/hex, timeline', 'text only; no dialog, no javascript: link, no injected element', async () => {
    await page.goto(`/messages/${seeded.idOf('xss')}`);
    const headers = page.getByRole('table', { name: 'Headers' });
    // The payload is a key at the top and inside the nested table.
    await expect(headers.getByRole('rowheader', { name: PAYLOADS.script, exact: true })).toHaveCount(2);
    await expect(headers).toContainText(PAYLOADS.img);
    await expect(headers).toContainText(PAYLOADS.js);
    const xDeath = page.getByRole('table', { name: 'x-death history' });
    await expect(xDeath).toContainText(PAYLOADS.script);
    await expect(xDeath).toContainText(PAYLOADS.js);
    await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Timeline' })).toBeVisible();
    // traceparent holds a javascript: URL: it parses as no trace id, so there is no trace link at all.
    await expect(page.getByRole('link', { name: /Open trace/ })).toHaveCount(0);
    await expectNothingRan('the detail page');
    const views = page.getByRole('group', { name: 'Show body as' });
    for (const view of ['JSON', 'Text', 'Hex']) {
      await views.getByRole('button', { name: view, exact: true }).click();
      await expect(views.getByRole('button', { name: view, exact: true })).toHaveAttribute('aria-pressed', 'true');
      await expectNothingRan(`the ${view} body view`);
    }
    await expectNoInvisible(page, 'the detail page');
  });
});

test('direction overrides and zero-width characters show as markers, never act on the text', async ({ page, operator: _ }) => {
  const expectNothingRan = watchForScripts(page);
  await readOnlyCase('bidi override U+202E and zero-width characters', 'shown as boxed code points (U+202E); "invoice\\u202Efdp.exe" reads invoice[U+202E]fdp.exe', async () => {
    await page.goto(`/messages/${seeded.idOf('bidi')}`);
    const summary = page.locator('header').filter({ hasText: 'Dead-lettered from' });
    await expect(summary.locator('[data-invisible="U+202E"]')).toHaveCount(1);
    await expect(summary).toContainText('invoiceU+202Efdp.exe');
    const headers = page.getByRole('table', { name: 'Headers' });
    await expect(headers.locator('[data-invisible="U+202E"]')).toHaveCount(3); // the filename, a key, the exception message
    await expect(headers.locator('[data-invisible="U+200B"]')).toHaveCount(1);
    await page.getByRole('group', { name: 'Show body as' }).getByRole('button', { name: 'Text', exact: true }).click();
    await expect(page.locator('pre.body-pre [data-invisible="U+FEFF"]')).toHaveCount(1);
    await expectNoInvisible(page, 'the bidi detail page');
    await expectNothingRan('the bidi detail page');
  });
});

test('numbers past double precision show exactly as written, in the view, the edit, the diff and the audit', async ({ page, admin: _ }) => {
  const expectNothingRan = watchForScripts(page);
  const id = seeded.idOf('numbers');
  await readOnlyCase('huge numbers in the body views', '1e400 and 12345678901234567890123 shown as written (JSON and text)', async () => {
    await page.goto(`/messages/${id}`);
    const pre = page.locator('pre.body-pre');
    await expect(pre).toContainText('"big": 1e400');
    await expect(pre).toContainText('"wide": 12345678901234567890123');
    await expect(pre).toContainText('"price": 0.1000000000000000055511151231257827');
    await page.getByRole('group', { name: 'Show body as' }).getByRole('button', { name: 'Text', exact: true }).click();
    await expect(pre).toContainText('"wide":12345678901234567890123');
  });

  const before = await snapshotSeeded(seeded.dlq);
  await page.goto(`/messages/${id}/edit`);
  const body = page.getByLabel('Body', { exact: true });
  await expect(body).toHaveValue(/"wide":12345678901234567890123/);
  await page.getByRole('button', { name: 'Format body' }).click();
  await expect(body).toHaveValue(/"wide": 12345678901234567890123/);
  await expect(body).toHaveValue(/"big": 1e400/);
  const edited = (await body.inputValue()).replace('1e400', '1e401');
  await body.fill(edited);
  const diff = page.getByRole('table', { name: 'Body changes' });
  await expect(diff).toContainText('"big": 1e401');
  await expect(diff).toContainText('12345678901234567890123');
  await page.getByLabel('Reason').fill('hostile numbers');
  await page.getByRole('button', { name: 'Save revision' }).click();
  await expect(page).toHaveURL(new RegExp(`/messages/${id}$`));
  const changes = changedTables(before, await snapshotSeeded(seeded.dlq));
  expect(changes.sort()).toEqual(['audit_events', 'messages', 'revisions']);

  await page.goto(`/audit?messageId=${id}`);
  const events = page.getByRole('table', { name: 'Audit events' });
  await events.getByRole('row').filter({ hasText: 'message.edited' }).getByRole('button', { name: /^Show details of event/ }).click();
  const panel = page.getByRole('dialog', { name: /^Audit event #\d+$/ });
  await expect(panel).toContainText('"wide": 12345678901234567890123');
  await expect(panel).toContainText('"big": 1e401');
  await expectNothingRan('the edit, diff and audit views');
  await recordHostile({
    area: 'rendering', case: 'huge numbers through edit, diff, save and audit', outcome: 'kept as written; the save added one revision and one audit event',
    changedNothing: changes.length === 3,
  });
});

test('JSON nested 10,000 deep is shown as written, and the page stays responsive', async ({ page, operator: _ }) => {
  const expectNothingRan = watchForScripts(page);
  await readOnlyCase('JSON nested 10,000 levels deep', 'shown as written with a note (not re-indented)', async () => {
    await page.goto(`/messages/${seeded.idOf('deep')}`);
    await expect(page.getByText('Nested 10,000 levels deep: shown as written, not re-indented.')).toBeVisible();
    await expect(page.locator('pre.body-pre')).toContainText('"bottom"');
    await page.getByRole('group', { name: 'Show body as' }).getByRole('button', { name: 'Hex', exact: true }).click();
    await expect(page.locator('pre.body-pre')).toContainText('5b 5b 5b');
    await expectNothingRan('the deep JSON page');
  });
});

test('__proto__ keys in a body and a header stay data in the views and the edit', async ({ page, operator: _ }) => {
  const expectNothingRan = watchForScripts(page);
  await readOnlyCase('__proto__ keys in body and headers', 'shown as keys; Object.prototype in the page untouched', async () => {
    await page.goto(`/messages/${seeded.idOf('proto')}`);
    await expect(page.getByRole('table', { name: 'Headers' }).getByRole('rowheader', { name: '__proto__', exact: true })).toBeVisible();
    await expect(page.locator('pre.body-pre')).toContainText('"__proto__": {');
    await page.goto(`/messages/${seeded.idOf('proto')}/edit`);
    await expect(page.getByLabel('Headers', { exact: true })).toHaveValue(/"__proto__": \{/);
    await expect(page.getByRole('table', { name: 'Headers changes' })).toHaveCount(0);
    await expectNothingRan('the __proto__ detail and edit pages');
  });
});

test('the failure group of a hostile exception renders it as text', async ({ page, operator: _ }) => {
  const expectNothingRan = watchForScripts(page);
  const groupId = await seeded.groupIdOf('xss');
  await readOnlyCase('failure group of a hostile exception', 'exception text shown as text; no dialog, no javascript: link', async () => {
    await page.goto(`/groups/${groupId}`);
    // The group shows the exception normalised (numbers and strings as <n>, <str>): the markup stays text.
    await expect(page.getByRole('heading', { level: 1 })).toContainText('<script>window.__pwned=<n>;alert(<n>)</script>');
    await expectNothingRan('the group page');
    await page.goto(`/groups/${await seeded.groupIdOf('bidi')}`);
    await expect(page.getByRole('main').locator('[data-invisible="U+202E"]').first()).toBeVisible();
    await expectNoInvisible(page, 'the bidi group page');
    await expectNothingRan('the bidi group page');
  });
});

test('screenshots of a hostile message, light and dark', async ({ page, operator: _ }) => {
  await mkdir(DIR, { recursive: true });
  const expectNothingRan = watchForScripts(page);
  for (const theme of ['light', 'dark'] as const) {
    await page.context().addCookies([{ name: 'theme', value: theme, url: process.env.E2E_BASE_URL! }]);
    await page.goto(`/messages/${seeded.idOf('xss')}`);
    await expect(page.getByRole('table', { name: 'Headers' })).toBeVisible();
    // A 255-byte header key and a 600-character value stay inside the page.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${DIR}/hostile-message-${theme}.png`, fullPage: true });
    await expectNothingRan(`the ${theme} detail page`);
  }
});
