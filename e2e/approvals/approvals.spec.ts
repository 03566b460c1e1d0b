import { createOperator, createToken, expect, seedDeadLetters, signInOverHttp, test } from '../support/fixtures';

// Four eyes in the browser: an operator's replay of a protected source's message is sent
// for approval instead of running; a second operator, in another browser, approves it on
// the Approvals page, and the message is replayed.

// Two people, two browsers, a publish confirmed by the broker: more than the default minute on a busy machine.
test.setTimeout(150_000);

let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;

test.beforeAll(async ({ request }) => {
  seeded = await seedDeadLetters('approvals-ui', [
    { body: '{"payment":"pay-1","amount":12}', contentType: 'application/json', messageId: 'ap-replay' },
  ]);
  const admin = await createToken('admin');
  const made = await request.patch(`/api/v1/sources/${encodeURIComponent(seeded.dlq)}`, {
    headers: { authorization: `Bearer ${admin.token}` }, data: { protected: true },
  });
  expect(made.status()).toBe(200);
});
test.afterAll(async () => seeded?.cleanup());

test('a replay of a protected source waits until a second operator approves it, then runs', async ({ page, browser }) => {
  const alice = await createOperator('operator');
  await signInOverHttp(page.request, alice);
  const id = seeded.idOf('ap-replay');

  await page.goto(`/messages/${id}`);
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay message' });
  await dialog.getByLabel('Reason').fill('payment service fixed');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/messages/${id}/replay`) && r.request().method() === 'POST'),
    dialog.getByRole('button', { name: 'Replay message' }).click(),
  ]);
  expect(response.status()).toBe(202);
  const { approval } = (await response.json()) as { approval: { id: string; grounds: string[] } };
  expect(approval.grounds).toEqual([`protected:${seeded.dlq}`]);

  await expect(dialog.getByRole('status')).toContainText('Sent for approval — a second person must approve it');
  await expect(dialog.getByRole('link', { name: 'Follow the request on the Approvals page' })).toHaveAttribute('href', `/approvals?id=${approval.id}`);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status', { name: 'Waiting for approval' })).toContainText(`a replay of this message, requested by ${alice.email} (you)`);
  await expect(page.getByTitle('status: new')).toBeVisible();

  // The requester sees the request but cannot decide it.
  await page.goto(`/approvals?id=${approval.id}`);
  const mine = page.getByRole('region', { name: 'Approval request' });
  await expect(mine).toContainText('Waiting for another person');
  await expect(mine.getByRole('button', { name: 'Approve and run' })).toHaveCount(0);

  const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  try {
    const bobPage = await other.newPage();
    await signInOverHttp(bobPage.request, await createOperator('operator'));
    await bobPage.goto('/approvals');
    const row = bobPage.getByRole('table', { name: 'Approval requests' }).locator(`tr[data-approval-id="${approval.id}"]`);
    await expect(row).toContainText('pending');
    await expect(row).toContainText(alice.email);
    await row.getByRole('button', { name: 'replay' }).click();
    await expect(bobPage).toHaveURL(new RegExp(`/approvals\\?id=${approval.id}$`));
    const panel = bobPage.getByRole('region', { name: 'Approval request' });
    await expect(panel).toContainText(`protected source ${seeded.dlq}`);
    await expect(panel).toContainText('payment service fixed');
    await panel.getByLabel(/^Reason/).fill('checked the fix');
    await panel.getByRole('button', { name: 'Approve and run' }).click();
    await expect(panel).toContainText('approved · done');
    await expect(panel).toContainText('1 of 1 done');
    await expect(panel.getByRole('button', { name: 'Approve and run' })).toHaveCount(0);
  } finally {
    await other.close();
  }

  await page.goto(`/messages/${id}`);
  await expect(page.getByTitle('status: replayed')).toBeVisible();
  await expect(page.getByRole('status', { name: 'Waiting for approval' })).toHaveCount(0);
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await expect(timeline).toContainText(`Replay requested by ${alice.email}`);
  await expect(timeline).toContainText('Published to queue');
});
