import { afterAll, beforeAll, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { checkDoublePublishWindow, countRows, countStored, drainQueue, verifyAudit } from '../testing/faults/count';
import { seedDeadLetters, type TDeadLetters } from '../testing/faults/dead-letters';
import { apiClient, type TApi } from '../testing/faults/http';
import { adminToken, startWeb, startWorker, stopAll } from '../testing/faults/processes';
import { recordFault } from '../testing/faults/report';
import { roundS } from '../testing/faults/seed';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';

// Publishes the broker gives back, end to end through the console's HTTP API and the real
// worker: a replay to an exchange that routes it nowhere and a redirect to a team whose
// exchange routes it nowhere (mandatory: returned), and a replay to a full queue that
// rejects publishes (x-overflow reject-publish: nacked). Each is recorded as failed, on the
// message, its dispatch and in the audit, never as done; once the destination is fixed, a
// second replay by the operator lands exactly once.

const PER_CASE = 10;
const TOTAL = PER_CASE * 3;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let letters: TDeadLetters;
let api: TApi;

type TMessage = { id: string; status: string; version: number; dispatches: { id: string; state: string; lastError: string | null }[] };
type TAuditPage = { items: { action: string; outcome: string | null; messageId: string | null }[] };

beforeAll(async () => {
  db = await createTestDatabase('fault_refused');
  broker = await createTestBroker('fault-refused');
  letters = await seedDeadLetters(broker, { count: TOTAL });
  const env = { DATABASE_URL: db.url, RABBITMQ_URL: TEST_RABBITMQ_URL };
  const [web] = await Promise.all([startWeb(env), startWorker({ ...env, DLQ_SOURCES_REFRESH_MS: '200', DLQ_DISPATCH_POLL_MS: '200' })]);
  api = apiClient(web.baseUrl, await adminToken(web.baseUrl));
  await waitFor(async () => (await countRows(letters.dlq)) === TOTAL, { timeoutMs: 90_000, what: `${TOTAL} dead letters stored` });
}, 240_000);

afterAll(async () => {
  await stopAll();
  await broker?.cleanup();
  await db?.drop();
});

it('records returned and nacked publishes as failed on the message, its dispatch and the audit, and a replay after the fix lands once', async () => {
  // Routes nothing: no queue is bound to it yet.
  const unbound = await broker.exchange('unbound', 'direct');
  // Full: one message in it, a limit of one, and publishes beyond the limit refused.
  const full = await broker.queue('full', { arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } });
  broker.channel.sendToQueue(full, Buffer.from('filler'));
  await waitFor(async () => (await broker.messageCount(full)) === 1, { what: 'the full queue holding its one message' });
  const team = `team-${broker.prefix}`;
  await api('POST', '/api/v1/teams', { name: team, exchange: unbound, routingKey: 'team-key' });

  const rows = await prisma().message.findMany({ where: { sourceQueue: letters.dlq }, orderBy: { id: 'asc' }, select: { id: true } });
  const ids = rows.map((r) => r.id.toString());
  const cases = [
    { name: 'returned (replay to an exchange with no binding)', ids: ids.slice(0, PER_CASE), error: /returned by the broker/, action: 'replay', body: { target: { exchange: unbound, routingKey: 'replay-key' } } },
    { name: 'nacked (replay to a full reject-publish queue)', ids: ids.slice(PER_CASE, 2 * PER_CASE), error: /nacked by the broker/, action: 'replay', body: { target: { queue: full } } },
    { name: 'returned (redirect to a team whose exchange has no binding)', ids: ids.slice(2 * PER_CASE), error: /returned by the broker/, action: 'redirect', body: { team } },
  ];
  const getMessage = (id: string) => api<TMessage>('GET', `/api/v1/messages/${id}`);
  const act = async (id: string, action: string, body: object) => {
    const { version } = await getMessage(id);
    await api('POST', `/api/v1/messages/${id}/${action}`, { version, ...body, reason: 'fault scenario' });
  };

  for (const c of cases) for (const id of c.ids) await act(id, c.action, c.body);

  // Every one ends failed, with the broker's reason on its dispatch, and nothing counted as done.
  const settled = await waitFor(async () => {
    const messages = await Promise.all(ids.map(getMessage));
    return messages.every((m) => m.status === 'failed') ? messages : false;
  }, { timeoutMs: 60_000, intervalMs: 500, what: 'every refused publish recorded as failed' });
  const byId = new Map(settled.map((m) => [m.id, m]));
  for (const c of cases) {
    for (const id of c.ids) {
      const [dispatch] = byId.get(id)!.dispatches;
      expect(dispatch?.state, `${c.name}: message ${id}`).toBe('failed');
      expect(dispatch?.lastError, `${c.name}: message ${id}`).toMatch(c.error);
    }
  }
  const audit = await api<TAuditPage>('GET', `/api/v1/audit?action=dispatch.failed&limit=200`);
  expect(new Set(audit.items.filter((e) => e.outcome === 'failed').map((e) => e.messageId))).toEqual(new Set(ids));
  const published = await api<TAuditPage>('GET', `/api/v1/audit?action=dispatch.published&limit=200`);
  expect(published.items).toEqual([]);
  expect(await broker.messageCount(full)).toBe(1);

  // The fix: queues bound to the exchange, the full queue replaced by one with room.
  const replayed = await broker.queue('replayed');
  const redirected = await broker.queue('redirected');
  await broker.channel.bindQueue(replayed, unbound, 'replay-key');
  await broker.channel.bindQueue(redirected, unbound, 'team-key');
  await broker.channel.deleteQueue(full);
  await broker.channel.assertQueue(full, { durable: true });
  const [first, ...rest] = cases.flatMap((c) => c.ids.map((id) => ({ id, c })));
  await act(first!.id, first!.c.action, first!.c.body);
  const retriedAt = Date.now();
  await waitFor(async () => (await broker.messageCount(replayed)) > 0, { timeoutMs: 30_000, intervalMs: 20, what: 'the first publish after the fix' });
  const recoveredMs = Date.now() - retriedAt;
  for (const { id, c } of rest) await act(id, c.action, c.body);
  await waitFor(async () => {
    const messages = await Promise.all(ids.map(getMessage));
    return messages.every((m) => m.status === 'replayed' || m.status === 'redirected');
  }, { timeoutMs: 60_000, intervalMs: 500, what: 'every second attempt confirmed' });

  const arrivals = await Promise.all([replayed, full, redirected].map((q) => drainQueue(q, { expected: PER_CASE, quietMs: 1000, timeoutMs: 30_000 })));
  const window = await checkDoublePublishWindow(arrivals);
  const arrivedIds = new Set(arrivals.flatMap((a) => [...a.byOriginalMessageId.keys()]));
  const lost = ids.filter((id) => !arrivedIds.has(id)).length;
  const stored = await countStored({ sourceQueue: letters.dlq, expectedIds: letters.ids });
  const chain = await verifyAudit();
  await recordFault({
    scenario: 'publishes returned (unroutable) and nacked (reject-publish)',
    messages: TOTAL,
    lost: lost + stored.lost,
    duplicated: stored.duplicated,
    doublePublished: window.doublePublished,
    recoveredInS: roundS(recoveredMs),
    details: {
      cases: cases.map((c) => `${c.name}: ${c.ids.length} failed with the broker's reason, then replayed once after the fix`),
      recoveredInS: 'from the answer to the first second attempt (after the fix) to its message landing',
      firstAttemptsCountedDone: published.items.length,
      outsideWindow: window.outsideWindow,
      auditChain: chain.ok ? `verified (${chain.checked} events)` : chain.detail,
    },
  });

  for (const a of arrivals) expect(a.total, a.queue).toBe(PER_CASE);
  expect(lost).toBe(0);
  expect(window.doublePublished).toBe(0);
  expect(stored).toMatchObject({ lost: 0, duplicated: 0 });
  expect(chain.ok, chain.detail).toBe(true);
}, 280_000);
