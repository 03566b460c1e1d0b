import { createOperator, createOwningTeam, createScopedOperator, expect, signInOverHttp, test } from '../support/fixtures';
import { massTransitFailure, nServiceBusFailure, runTag, seedGroupedDeadLetters, springFailure } from '../support/group-fixtures';

// An on-call engineer sees today's failures as a handful of groups instead of a wall of
// messages, opens one, and sees its messages; an admin's category rule and runbook show
// up where the operator acts.

const tag = runTag();
let seeded: Awaited<ReturnType<typeof seedGroupedDeadLetters>>;

test.beforeAll(async () => {
  seeded = await seedGroupedDeadLetters(`groups-${tag}`, [
    ...[812, 907, 31_337].map((id) => springFailure(tag, id)),
    ...[1, 2, 3, 4].map((n) => massTransitFailure(tag, n)),
    ...[5, 6].map((n) => nServiceBusFailure(tag, n)),
  ]);
});
test.afterAll(async () => seeded?.cleanup());

test('failures with different ids are grouped by exception; a group opens with its messages', async ({ page, operator: _ }) => {
  await page.goto(`/groups?origin=${encodeURIComponent(seeded.work)}`);
  const table = page.getByRole('table', { name: 'Failure groups' });
  const rows = table.locator('tbody tr[data-group-id]');
  await expect(rows).toHaveCount(3);
  const spring = rows.filter({ hasText: `com.acme.${tag}.OrderNotFoundException` });
  await expect(spring).toContainText('Order <n> not found');
  await expect(spring.getByRole('cell').nth(1)).toHaveText('3');
  await expect(rows.filter({ hasText: 'System.TimeoutException' }).getByRole('cell').nth(1)).toHaveText('4');
  await expect(rows.filter({ hasText: 'System.TimeoutException' })).toContainText('transient');
  await expect(rows.filter({ hasText: 'System.FormatException' })).toContainText('persistent');
  await expect(rows.filter({ hasText: 'System.FormatException' })).toContainText("Input string <str> was not in a correct format.");
  // The trend counts today's arrivals.
  await expect(spring.getByRole('img', { name: /^3 in the last 24 hours/ })).toBeVisible();

  // Keyboard: j selects the first row, Enter opens it.
  const firstId = await rows.first().getAttribute('data-group-id');
  await page.keyboard.press('j');
  await expect(rows.first()).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/groups/${firstId}$`));

  // The Spring group's page: its signature, guidance and exactly its messages.
  const springId = await seeded.groupIdOf(`spring-${tag}-812`);
  await page.goto(`/groups/${springId}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`com.acme.${tag}.OrderNotFoundException`);
  await expect(page.getByTestId('group-guidance')).toContainText('unknown');
  const messages = page.getByRole('table', { name: 'Dead letters' }).locator('tbody tr[data-message-id]');
  await expect(messages).toHaveCount(3);
  for (const id of [812, 907, 31_337]) await expect(page.getByRole('link', { name: `spring-${tag}-${id}` })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Bulk actions' })).toBeVisible();
  await page.getByRole('link', { name: /^#\d+$/ }).click();
  await expect(page).toHaveURL(/\/messages\/\d+$/);
  await expect(page.getByRole('region', { name: 'Failure group' })).toContainText(`Failure group #${springId}`);
});

test('an admin rule changes the group category; the runbook shows on the group and the message page', async ({ page, admin: _ }) => {
  const springId = await seeded.groupIdOf(`spring-${tag}-812`);
  await page.goto('/admin/failure-categories');
  await expect(page.getByRole('table', { name: 'Built-in category rules' })).toContainText('Timeouts');
  const form = page.getByRole('form', { name: 'Add a rule' });
  await form.getByLabel('Field').selectOption('exception_type');
  await form.getByLabel(/^Pattern/).fill('a*b*c*d*e*f*g*h*i*j*k*l');
  await expect(form.getByText(/at most 10 \* wildcards/)).toBeVisible();
  await expect(form.getByRole('button', { name: 'Add rule' })).toBeDisabled();
  await form.getByLabel(/^Pattern/).fill(`com.acme.${tag}.order*found`);
  await form.getByLabel('Category').selectOption('transient');
  await form.getByLabel(/Suggested action/).fill(`Wait for the ${tag} catalogue sync, then replay`);
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByText(/changed category/)).toHaveText(/\d+ group\(s\) changed category/);
  await expect(page.getByRole('table', { name: 'Category rules', exact: true })).toContainText(`${tag}.order*found`);

  await page.goto(`/groups/${springId}`);
  const guidance = page.getByTestId('group-guidance');
  await expect(guidance).toContainText('transient');
  await expect(guidance).toContainText(`Wait for the ${tag} catalogue sync, then replay`);

  // A runbook for this group.
  const runbook = page.getByRole('form', { name: 'Runbook link' });
  await runbook.getByLabel('For').selectOption({ label: 'this group' });
  await runbook.getByLabel(/^URL/).fill('javascript:alert(1)');
  await runbook.getByRole('button', { name: 'Save runbook' }).click();
  await expect(runbook.getByRole('alert')).toContainText(/http/);
  await runbook.getByLabel(/^URL/).fill(`https://wiki.example.com/runbooks/${tag}`);
  await runbook.getByRole('button', { name: 'Save runbook' }).click();
  await expect(guidance.getByRole('link', { name: /Runbook/ })).toHaveAttribute('href', `https://wiki.example.com/runbooks/${tag}`);

  await page.goto(`/messages/${seeded.idOf(`spring-${tag}-907`)}`);
  const section = page.getByRole('region', { name: 'Failure group' });
  await expect(section).toContainText('transient');
  await expect(section.getByRole('link', { name: /Runbook/ })).toHaveAttribute('href', `https://wiki.example.com/runbooks/${tag}`);

  // Deleting the rule puts the group back to what the built-in rules say.
  await page.goto('/admin/failure-categories');
  const row = page.getByRole('row').filter({ hasText: `${tag}.order*found` });
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText(/changed category/)).toHaveText(/\d+ group\(s\) changed category/);
  await page.goto(`/groups/${springId}`);
  await expect(page.getByTestId('group-guidance')).toContainText('unknown');
});

test('a team-scoped viewer sees only the groups of its queues', async ({ browser }) => {
  const team = await createOwningTeam({ origins: [`${seeded.work}-not-this-one`] });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInOverHttp(page.request, await createScopedOperator([team.id], 'viewer'));
  const answer = await page.request.get(`/api/v1/groups?origin=${encodeURIComponent(seeded.work)}`);
  expect(answer.status()).toBe(200);
  expect(((await answer.json()) as { items: unknown[] }).items).toHaveLength(0);
  const springId = await seeded.groupIdOf(`spring-${tag}-812`);
  expect((await page.request.get(`/api/v1/groups/${springId}`)).status()).toBe(404);
  const viewer = await createOperator('viewer');
  await context.close();
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await signInOverHttp(p2.request, viewer);
  expect((await p2.request.get(`/api/v1/groups/${springId}`)).status()).toBe(200);
  await other.close();
});
