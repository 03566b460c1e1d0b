import { randomBytes } from 'node:crypto';
import { expect, test } from '../support/fixtures';
import { massTransitFailure, runTag, seedGroupedDeadLetters, springFailure } from '../support/group-fixtures';

// An on-call engineer jumps from a dead letter, or from its failure group, to the trace of
// the request that produced it: the e2e server's DLQ_TRACE_URL_TEMPLATE is
// https://tempo.example/explore?traceId={traceId}, filled from the W3C traceparent header.

const tag = runTag();
const traceId = randomBytes(16).toString('hex');
const spanId = randomBytes(8).toString('hex');
const traced = springFailure(tag, 4242);
const untraced = massTransitFailure(tag, 1);
let seeded: Awaited<ReturnType<typeof seedGroupedDeadLetters>>;
// One seeding for both tests, in one worker.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  seeded = await seedGroupedDeadLetters(`trace-${tag}`, [
    { ...traced, headers: { ...traced.headers, traceparent: `00-${traceId}-${spanId}-01` } },
    untraced,
  ]);
});
test.afterAll(async () => seeded?.cleanup());

const tempo = `https://tempo.example/explore?traceId=${traceId}`;

test('a message with a traceparent links to its trace, and so does its group', async ({ page, operator: _ }) => {
  const id = seeded.idOf(traced.messageId!);
  await page.goto(`/messages/${id}`);
  const link = page.getByRole('link', { name: `Open trace (trace ID ${traceId})` });
  await expect(link).toHaveAttribute('href', tempo);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  const message = await (await page.request.get(`/api/v1/messages/${id}`)).json();
  expect(message).toMatchObject({ traceUrl: tempo, traceUrlBy: { key: 'traceId', value: traceId } });

  const groupId = await seeded.groupIdOf(traced.messageId!);
  await page.goto(`/groups/${groupId}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`com.acme.${tag}.OrderNotFoundException`);
  await expect(page.getByRole('link', { name: `Open trace (trace ID ${traceId})` })).toHaveAttribute('href', tempo);
  const group = await (await page.request.get(`/api/v1/groups/${groupId}`)).json();
  expect(group).toMatchObject({ sampleMessageId: id, traceUrl: tempo });
});

test('a message without trace ids shows no trace link', async ({ page, operator: _ }) => {
  const id = seeded.idOf(untraced.messageId!);
  await page.goto(`/messages/${id}`);
  await expect(page.getByText(untraced.messageId!, { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: /Open trace/ })).toHaveCount(0);
  expect(await (await page.request.get(`/api/v1/messages/${id}`)).json()).toMatchObject({ traceUrl: null, traceUrlBy: null });
  const group = await (await page.request.get(`/api/v1/groups/${await seeded.groupIdOf(untraced.messageId!)}`)).json();
  expect(group.traceUrl).toBeNull();
});
