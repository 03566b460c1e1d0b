import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { signBody } from './alert-payload';
import type { TAlertRuleFields } from './alert-rule-dto';
import { createAlertRule } from './create-alert-rule';
import { deleteAlertRule } from './delete-alert-rule';
import { deliverNotifications } from './deliver-notifications';
import { evaluateAlerts } from './evaluate-alerts';
import { listAlertRules } from './list-alert-rules';
import { listAlerts } from './list-alerts';
import { UNRESOLVED_FILTER } from './measure-rule';
import { updateAlertRule } from './update-alert-rule';

const OPERATOR: TActor = { kind: 'user', id: 'o', email: 'op@example.com', role: 'operator' };
const VIEWER: TActor = { kind: 'user', id: 'v', email: 'viewer@example.com', role: 'viewer' };
const CONSOLE = 'https://dlq.example.com';
// The evaluator and deliverer take the time injected, but rows they did not write (outbox
// notifications, ingest times) carry the database's now(): T0 must lie after it. A fixed date
// stopped working once the clock passed it; a whole hour one to two hours ahead keeps the
// timestamps readable.
const HOUR = 3_600_000;
const T0 = new Date(Math.ceil(Date.now() / HOUR) * HOUR + HOUR);
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

type TReceived = { headers: IncomingHttpHeaders; body: string; path: string };

/** A local webhook receiver answering with the statuses queued in `answers` (200 once they run out). */
async function startReceiver() {
  const received: TReceived[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '' });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { received, answers, url: `http://127.0.0.1:${port}/hooks/T000/SECRET-TOKEN`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  db = await createTestDatabase('alerts');
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await db?.drop();
});
/** Audit events are never deleted: each test reads those after its mark. */
let auditMark = 0n;
beforeEach(async () => {
  auditMark = (await prisma().auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
  receiver.received.length = 0;
  receiver.answers.length = 0;
  await prisma().alertRule.deleteMany();
  await prisma().message.deleteMany();
  await prisma().inflowCount.deleteMany();
});

/** `n` dead letters of `source` (from `origin`) ingested at `when`. */
async function seed(n: number, { source = 'orders.dlq', origin = 'orders', when = at(-1), status = 'new' as const } = {}) {
  await prisma().message.createMany({
    data: Array.from({ length: n }, () => ({
      sourceQueue: source, fingerprint: randomBytes(8), originQueue: origin, reason: 'rejected' as const, routingKeys: [origin], deathCount: 1,
      size: 2, isLarge: false, body: Buffer.from('{}'), properties: {}, headers: {}, xDeath: [], deliveryExchange: '', deliveryRoutingKey: source,
      status, ingestedAt: when,
    })),
  });
}

const rule = (over: Partial<TAlertRuleFields> = {}): TAlertRuleFields => ({
  name: 'Orders inflow', subjectKind: 'source', subject: 'orders.dlq', metric: 'inflow', comparison: 'above', threshold: 1, windowMinutes: 5,
  webhookUrl: receiver.url, webhookSecret: 'whsec-0123456789', ...over,
});
const evaluate = (now: Date) => evaluateAlerts({ now, consoleUrl: CONSOLE });
// The receivers listen on 127.0.0.1: loopback is allowed here explicitly, as DLQ_WEBHOOK_ALLOW_PRIVATE=true would.
const deliver = (now: Date, maxAttempts = 8, allowPrivate = true) => deliverNotifications({ timeoutMs: 2000, maxAttempts, allowPrivate, now: () => now });
const auditActions = async () => (await prisma().auditEvent.findMany({ where: { id: { gt: auditMark }, action: { startsWith: 'alert.' } }, orderBy: { id: 'asc' } })).map((e) => e.action);

describe('an inflow rule with a webhook', () => {
  it('fires once to the receiver when inflow exceeds it, resolves once after, with two evaluators and deliverers at once', async () => {
    const created = await createAlertRule({ actor: OPERATOR, rule: rule() });
    await seed(10); // 10 in 5 minutes: 2/min > 1

    await Promise.all([evaluate(T0), evaluate(T0)]);
    await evaluate(at(0.5));
    await Promise.all([deliver(at(0.5)), deliver(at(0.5))]);
    await evaluate(at(1));
    await Promise.all([deliver(at(1)), deliver(at(1))]);

    expect(receiver.received).toHaveLength(1);
    const [firing] = receiver.received;
    const payload = JSON.parse(firing!.body);
    expect(firing!.headers['x-dlq-event']).toBe('firing');
    expect(firing!.headers['x-dlq-delivery']).toBe(`${payload.alertId}:firing`);
    expect(firing!.headers['x-dlq-signature']).toBe(signBody(firing!.body, 'whsec-0123456789'));
    expect(payload).toMatchObject({
      version: 1, event: 'firing', rule: { id: created.id, name: 'Orders inflow' }, subjectKind: 'source', subject: 'orders.dlq', metric: 'inflow',
      value: 2, baseline: null, limit: 1, comparison: 'above', windowMinutes: 5, firedAt: T0.toISOString(), resolvedAt: null,
      link: 'https://dlq.example.com/messages?source=orders.dlq',
    });
    const open = await listAlerts({ actor: VIEWER });
    expect(open.open).toEqual([expect.objectContaining({ state: 'firing', subject: 'orders.dlq', value: 2, limit: 1, link: '/messages?source=orders.dlq' })]);
    expect(open.open[0]!.notifications).toEqual([expect.objectContaining({ event: 'firing', state: 'sent', attempts: 1, lastStatus: 200 })]);

    // Ten minutes on, the messages are out of the window: back to normal.
    await Promise.all([evaluate(at(10)), evaluate(at(10))]);
    await evaluate(at(10.5));
    await Promise.all([deliver(at(10.5)), deliver(at(10.5))]);
    expect(receiver.received.map((r) => r.headers['x-dlq-event'])).toEqual(['firing', 'resolved']);
    expect(JSON.parse(receiver.received[1]!.body)).toMatchObject({ event: 'resolved', value: 0, firedAt: T0.toISOString(), resolvedAt: at(10).toISOString() });
    const after = await listAlerts({ actor: VIEWER });
    expect(after.open).toEqual([]);
    expect(after.recent).toEqual([expect.objectContaining({ state: 'resolved', firedAt: T0.toISOString(), resolvedAt: at(10).toISOString() })]);
    expect(await auditActions()).toEqual(['alert.fired', 'alert.resolved']);

    // The condition again: a new episode, notified once more.
    await seed(10, { when: at(19) });
    await Promise.all([evaluate(at(20)), evaluate(at(20))]);
    await deliver(at(20));
    expect(receiver.received.map((r) => r.headers['x-dlq-event'])).toEqual(['firing', 'resolved', 'firing']);
    expect(await prisma().alert.count({ where: { ruleId: created.id } })).toBe(2);
  });

  it('waits forMinutes in pending before firing; a pending episode that clears tells nobody', async () => {
    await createAlertRule({ actor: OPERATOR, rule: rule({ forMinutes: 2, windowMinutes: 10 }) });
    await seed(20, { when: at(-0.5) });
    await evaluate(T0);
    await evaluate(at(1));
    await deliver(at(1));
    expect((await listAlerts({ actor: VIEWER })).open).toEqual([expect.objectContaining({ state: 'pending', firedAt: null, pendingSince: T0.toISOString() })]);
    expect(receiver.received).toHaveLength(0);
    await evaluate(at(2));
    await deliver(at(2));
    expect((await listAlerts({ actor: VIEWER })).open).toEqual([expect.objectContaining({ state: 'firing', firedAt: at(2).toISOString(), pendingSince: T0.toISOString() })]);
    expect(receiver.received.map((r) => r.headers['x-dlq-event'])).toEqual(['firing']);

    // A second rule that goes pending and clears before it fires: no notification, no audit event.
    await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Slow', forMinutes: 30, windowMinutes: 10 }) });
    await evaluate(at(3));
    await evaluate(at(20));
    await deliver(at(20));
    expect(receiver.received.map((r) => r.headers['x-dlq-event'])).toEqual(['firing', 'resolved']);
    expect(await auditActions()).toEqual(['alert.fired', 'alert.resolved']);
    expect(await prisma().alert.findMany({ where: { rule: { name: 'Slow' } }, select: { state: true, firedAt: true } })).toEqual([{ state: 'resolved', firedAt: null }]);
  });

  it('resolves open alerts when the rule is disabled', async () => {
    const created = await createAlertRule({ actor: OPERATOR, rule: rule() });
    await seed(10);
    await evaluate(T0);
    await updateAlertRule({ actor: OPERATOR, id: created.id, changes: { version: created.version, enabled: false } });
    await evaluate(at(0.5));
    // The resolution is claimed only once its firing is delivered: the worker runs the next round at once.
    expect(await deliver(at(0.5))).toMatchObject({ claimed: 1, sent: 1 });
    expect(await deliver(at(0.5))).toMatchObject({ claimed: 1, sent: 1 });
    expect(receiver.received.map((r) => r.headers['x-dlq-event'])).toEqual(['firing', 'resolved']);
    expect((await listAlerts({ actor: VIEWER })).open).toEqual([]);
  });
});

describe('webhook delivery', () => {
  it('retries a receiver answering 500 and delivers once, with the same delivery id', async () => {
    await createAlertRule({ actor: OPERATOR, rule: rule() });
    await seed(10);
    receiver.answers.push(500);
    await evaluate(T0);
    expect(await deliver(T0)).toEqual({ claimed: 1, sent: 0, retrying: 1, failed: 0 });
    const [retrying] = (await listAlerts({ actor: VIEWER })).open[0]!.notifications;
    expect(retrying).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: new Date(T0.getTime() + 5000).toISOString() });
    expect(await deliver(at(0.05))).toMatchObject({ claimed: 0 }); // not due for 5 s
    expect(await deliver(at(0.1))).toEqual({ claimed: 1, sent: 1, retrying: 0, failed: 0 });
    expect(await deliver(at(5))).toMatchObject({ claimed: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(new Set(receiver.received.map((r) => r.headers['x-dlq-delivery'])).size).toBe(1);
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
    expect((await listAlerts({ actor: VIEWER })).open[0]!.notifications[0]).toMatchObject({ state: 'sent', attempts: 2, lastStatus: 200, lastError: null });
  });

  it('a receiver that is down: attempts and the last error are shown, then failed and audited; the deliverer never throws', async () => {
    const down = await startReceiver();
    await down.close();
    await createAlertRule({ actor: OPERATOR, rule: rule({ webhookUrl: down.url, webhookFormat: 'slack' }) });
    await seed(10);
    await evaluate(T0);
    let now = T0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const round = await deliver(now, 3);
      expect(round).toEqual({ claimed: 1, sent: 0, retrying: attempt < 3 ? 1 : 0, failed: attempt < 3 ? 0 : 1 });
      const [n] = (await listAlerts({ actor: VIEWER })).open[0]!.notifications;
      expect(n).toMatchObject({ state: attempt < 3 ? 'pending' : 'failed', attempts: attempt, lastStatus: null });
      // A category, never the socket's message: it would name internal addresses and ports.
      expect(n!.lastError).toBe('connection refused');
      now = new Date(now.getTime() + 11 * 60_000);
    }
    expect(await deliver(now, 3)).toMatchObject({ claimed: 0 });
    const failed = await prisma().auditEvent.findFirstOrThrow({ where: { id: { gt: auditMark }, action: 'alert.notification_failed' } });
    expect(failed.outcome).toBe('failed');
    expect(failed.after).toMatchObject({ event: 'firing', attempts: 3, webhook: down.url.replace(/\/hooks.*/, '/…'), lastError: 'connection refused' });
    expect(JSON.stringify(failed.after)).not.toContain('SECRET-TOKEN');
  });
});

describe('baseline rules', () => {
  it("fire per queue ('*') over threshold × the median of the last 7 days and at least minValue", async () => {
    // orders.dlq: 10/min at this time of day on each of the previous 7 days; quiet.dlq: no history.
    const buckets = [];
    for (let day = 1; day <= 7; day++) {
      for (let m = 1; m <= 5; m++) buckets.push({ bucket: new Date(T0.getTime() - day * 86_400_000 - m * 60_000), sourceQueue: 'orders.dlq', originQueue: 'orders', count: 10 });
    }
    await prisma().inflowCount.createMany({ data: buckets });
    await createAlertRule({ actor: OPERATOR, rule: rule({ subject: '*', comparison: 'baseline', threshold: 3, minValue: 5, webhookUrl: null, webhookSecret: null }) });
    await seed(125); // 25/min: under 3 × 10
    await seed(20, { source: 'quiet.dlq' }); // 4/min: over 3 × 0 but under minValue 5
    await evaluate(T0);
    expect((await listAlerts({ actor: VIEWER })).open).toEqual([]);
    await seed(30); // 31/min
    await seed(10, { source: 'quiet.dlq' }); // 6/min
    await evaluate(T0);
    const open = (await listAlerts({ actor: VIEWER })).open;
    expect(open.map((a) => [a.subject, a.state, a.value, a.baseline, a.limit]).sort()).toEqual([['orders.dlq', 'firing', 31, 10, 30], ['quiet.dlq', 'firing', 6, 0, 0]]);
    expect(await prisma().alertNotification.count()).toBe(0); // no webhook: nothing queued, still audited
    expect(await auditActions()).toEqual(['alert.fired', 'alert.fired']);
  });

  it('leave out the days before the counted history began, and do not fire without any', async () => {
    await createAlertRule({ actor: OPERATOR, rule: rule({ comparison: 'baseline', threshold: 3, minValue: 1, webhookUrl: null, webhookSecret: null }) });
    await seed(100); // 20/min, and nothing counted yet: no baseline, no alert
    await evaluate(T0);
    expect((await listAlerts({ actor: VIEWER })).open).toEqual([]);
    // Counting began 2 days ago: days 1 and 2 are known (10/min and 2/min), days 3..7 are not zeros.
    await prisma().inflowCount.createMany({ data: [
      ...[1, 2, 3, 4, 5].map((m) => ({ bucket: new Date(T0.getTime() - 86_400_000 - m * 60_000), sourceQueue: 'orders.dlq', originQueue: 'orders', count: 10 })),
      ...[1, 2, 3, 4, 5].map((m) => ({ bucket: new Date(T0.getTime() - 2 * 86_400_000 - m * 60_000), sourceQueue: 'orders.dlq', originQueue: 'orders', count: 2 })),
    ] });
    await evaluate(T0);
    // Median of [10, 2] = 6, limit 18: 20/min fires. Counting days 3..7 as 0 would have made the baseline 0.
    expect((await listAlerts({ actor: VIEWER })).open.map((a) => [a.subject, a.state, a.value, a.baseline, a.limit])).toEqual([['orders.dlq', 'firing', 20, 6, 18]]);
  });

  it('an unresolved-count rule counts new, edited and failed messages', async () => {
    await createAlertRule({ actor: OPERATOR, rule: rule({ metric: 'unresolved', threshold: 4, subjectKind: 'origin', subject: 'orders', webhookUrl: null, webhookSecret: null }) });
    await seed(3);
    await seed(3, { status: 'replayed' as never });
    await seed(2, { status: 'failed' as never, when: at(-600) });
    await evaluate(T0);
    expect((await listAlerts({ actor: VIEWER })).open.map((a) => [a.subject, a.value, a.link])).toEqual([['orders', 5, '/messages?origin=orders']]);
  });
});

describe('atomicity', () => {
  it('the alert, its notification and its audit event commit together: an audit failure leaves none of them', async () => {
    await createAlertRule({ actor: OPERATOR, rule: rule() });
    await seed(10);
    await prisma().$executeRawUnsafe(`CREATE FUNCTION refuse_alert_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action LIKE 'alert.%' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$`);
    await prisma().$executeRawUnsafe(`CREATE TRIGGER refuse_alert_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_alert_audit()`);
    try {
      expect(await evaluate(T0)).toMatchObject({ rules: 0, failed: 1 });
      expect(await prisma().alert.count()).toBe(0);
      expect(await prisma().alertNotification.count()).toBe(0);
    } finally {
      await prisma().$executeRawUnsafe('DROP TRIGGER refuse_alert_audit ON audit_events');
      await prisma().$executeRawUnsafe('DROP FUNCTION refuse_alert_audit()');
    }
    await evaluate(T0);
    expect(await prisma().alert.count()).toBe(1);
    expect(await prisma().alertNotification.count()).toBe(1);
  });
});

describe('alert rules', () => {
  it('are created, changed and deleted by operators with the webhook masked everywhere; bad input, a stale version and viewers change nothing', async () => {
    const created = await createAlertRule({ actor: OPERATOR, rule: rule({ webhookUrl: 'https://hooks.slack.com/services/T0/B0/SECRET-TOKEN', webhookFormat: 'slack' }) });
    expect(created).toMatchObject({ webhook: 'https://hooks.slack.com/…', hasSecret: true, version: 1 });
    expect(JSON.stringify(await listAlertRules({ actor: VIEWER }))).not.toMatch(/SECRET-TOKEN|whsec/);

    const events = await prisma().auditEvent.count();
    const rules = await prisma().alertRule.findMany();
    const bad: [TActor, unknown, string, RegExp][] = [
      [OPERATOR, rule({ threshold: -1 }), 'INVALID_INPUT', /threshold must be greater than 0/],
      [OPERATOR, rule({ webhookUrl: 'javascript:alert(1)' }), 'INVALID_INPUT', /webhookUrl must be an http\(s\) URL/],
      [OPERATOR, rule({ metric: 'unresolved', comparison: 'baseline' }), 'INVALID_INPUT', /baseline needs history, which only the inflow metric has/],
      [OPERATOR, rule({ comparison: 'baseline', threshold: 3, minValue: 0 }), 'INVALID_INPUT', /^minValue: a baseline rule needs minValue greater than 0/],
      [OPERATOR, rule({ webhookUrl: 'https://user:pw@hooks.example.com/x' }), 'INVALID_INPUT', /webhookUrl must not contain a user name or password/],
      [VIEWER, rule(), 'FORBIDDEN', /alerts:manage/],
    ];
    for (const [actor, input, code, message] of bad) await expect(createAlertRule({ actor, rule: input as TAlertRuleFields })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    await expect(updateAlertRule({ actor: OPERATOR, id: created.id, changes: { version: 7, threshold: 5 } })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(updateAlertRule({ actor: OPERATOR, id: created.id, changes: { version: 1, comparison: 'baseline', metric: 'unresolved' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(deleteAlertRule({ actor: OPERATOR, id: created.id, version: 2 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(deleteAlertRule({ actor: OPERATOR, id: '00000000-0000-4000-8000-000000000000', version: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // 36 characters of [0-9a-f-] that are not a uuid: 404, not a 500 from ::uuid.
    for (const id of ['------------------------------------', 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaaaa'.slice(0, 36), '0000000000000000000000000000000000ab']) {
      await expect(updateAlertRule({ actor: OPERATOR, id, changes: { version: 1, threshold: 5 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(deleteAlertRule({ actor: OPERATOR, id, version: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await prisma().auditEvent.count()).toBe(events);
    expect(await prisma().alertRule.findMany()).toEqual(rules);

    const changed = await updateAlertRule({ actor: OPERATOR, id: created.id, changes: { version: 1, threshold: 5, webhookUrl: null } });
    expect(changed).toMatchObject({ threshold: 5, webhook: null, hasSecret: false, version: 2 });
    await deleteAlertRule({ actor: OPERATOR, id: created.id, version: 2 });
    const audit = await prisma().auditEvent.findMany({ where: { id: { gt: auditMark }, action: { startsWith: 'alert_rule.' } }, orderBy: { id: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual(['alert_rule.created', 'alert_rule.updated', 'alert_rule.deleted']);
    expect(audit[1]!.before).toMatchObject({ webhook: 'https://hooks.slack.com/…', hasSecret: true, threshold: 1 });
    expect(audit[1]!.after).toMatchObject({ webhook: null, hasSecret: false, threshold: 5 });
    expect(JSON.stringify(audit.map((e) => [e.before, e.after]))).not.toMatch(/SECRET-TOKEN|whsec/);
  });
});

describe('team scope', () => {
  it('an actor limited to its teams watches and sees only its queues', async () => {
    const scoped: TActor = { ...OPERATOR, id: 's', email: 'scoped@example.com', scope: { teamIds: [], origins: [], sources: ['orders.dlq'] } };
    await expect(createAlertRule({ actor: scoped, rule: rule({ subject: '*' }) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createAlertRule({ actor: scoped, rule: rule({ subject: 'billing.dlq' }) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await createAlertRule({ actor: scoped, rule: rule({ webhookUrl: null, webhookSecret: null }) });
    await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Billing', subject: 'billing.dlq', webhookUrl: null, webhookSecret: null }) });
    await seed(10);
    await seed(10, { source: 'billing.dlq' });
    await evaluate(T0);
    expect((await listAlerts({ actor: OPERATOR })).open.map((a) => a.subject).sort()).toEqual(['billing.dlq', 'orders.dlq']);
    expect((await listAlerts({ actor: scoped })).open.map((a) => a.subject)).toEqual(['orders.dlq']);
    expect((await listAlertRules({ actor: scoped })).map((r) => r.subject)).toEqual(['orders.dlq']);
  });
});

describe('review fixes', () => {
  it('a failing rule is skipped and logged: the rules after it are still evaluated', async () => {
    const broken = await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Broken', webhookUrl: null, webhookSecret: null }) });
    await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Healthy', subject: 'billing.dlq', webhookUrl: null, webhookSecret: null }) });
    // The broken rule sorts first, so without the per-rule catch it would abort the round.
    await prisma().$executeRaw`UPDATE alert_rules SET id = '00000000-0000-4000-8000-000000000001' WHERE id = ${broken.id}::uuid`;
    await seed(10);
    await seed(10, { source: 'billing.dlq' });
    await prisma().$executeRawUnsafe(`CREATE FUNCTION refuse_broken_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.after->'rule'->>'name' = 'Broken' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$`);
    await prisma().$executeRawUnsafe(`CREATE TRIGGER refuse_broken_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_broken_audit()`);
    try {
      expect(await evaluate(T0)).toEqual({ rules: 1, opened: 1, fired: 1, resolved: 0, failed: 1 });
      expect((await listAlerts({ actor: VIEWER })).open.map((a) => [a.ruleName, a.subject])).toEqual([['Healthy', 'billing.dlq']]);
    } finally {
      await prisma().$executeRawUnsafe('DROP TRIGGER refuse_broken_audit ON audit_events');
      await prisma().$executeRawUnsafe('DROP FUNCTION refuse_broken_audit()');
    }
  });

  it("a '*' rule changes at most maxChangesPerRule subjects a round; the rest follow in the next rounds", async () => {
    await createAlertRule({ actor: OPERATOR, rule: rule({ subject: '*', webhookUrl: null, webhookSecret: null }) });
    for (const q of ['a.dlq', 'b.dlq', 'c.dlq', 'd.dlq', 'e.dlq']) await seed(10, { source: q });
    const round = (now: Date) => evaluateAlerts({ now, consoleUrl: CONSOLE, maxChangesPerRule: 2 });
    expect(await round(T0)).toMatchObject({ opened: 2, fired: 2 });
    expect(await round(at(0.1))).toMatchObject({ opened: 2, fired: 2 });
    expect(await round(at(0.2))).toMatchObject({ opened: 1, fired: 1 });
    expect((await listAlerts({ actor: VIEWER })).open.map((a) => a.subject).sort()).toEqual(['a.dlq', 'b.dlq', 'c.dlq', 'd.dlq', 'e.dlq']);
  });

  it('a replica skips a rule another evaluated less than an interval ago; without an injected time the database clock stamps it', async () => {
    const created = await createAlertRule({ actor: OPERATOR, rule: rule({ webhookUrl: null, webhookSecret: null }) });
    await seed(10);
    const replica = (now: Date) => evaluateAlerts({ now, consoleUrl: CONSOLE, intervalMs: 15_000 });
    expect(await replica(T0)).toMatchObject({ rules: 1 });
    expect(await replica(new Date(T0.getTime() + 5_000))).toMatchObject({ rules: 0 });
    expect((await prisma().alertRule.findUniqueOrThrow({ where: { id: created.id } })).evaluatedAt).toEqual(T0);
    expect(await replica(new Date(T0.getTime() + 15_000))).toMatchObject({ rules: 1 });

    await prisma().$executeRaw`UPDATE alert_rules SET evaluated_at = NULL`;
    const before = (await prisma().$queryRaw<{ db_now: Date }[]>`SELECT now() AS db_now`)[0]!.db_now;
    expect(await evaluateAlerts({ consoleUrl: CONSOLE, intervalMs: 15_000 })).toMatchObject({ rules: 1 });
    const stamped = (await prisma().alertRule.findUniqueOrThrow({ where: { id: created.id } })).evaluatedAt!;
    expect(stamped.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(await evaluateAlerts({ consoleUrl: CONSOLE, intervalMs: 15_000 })).toMatchObject({ rules: 0 });
  });

  it('refuses link-local and metadata addresses always, and loopback unless private addresses are allowed, with a category only', async () => {
    const port = new URL(receiver.url).port;
    await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Loopback by name', webhookUrl: `http://localhost:${port}/hooks/SECRET-TOKEN` }) });
    await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Metadata', subject: 'billing.dlq', webhookUrl: 'http://169.254.169.254/latest/meta-data/' }) });
    await seed(10);
    await seed(10, { source: 'billing.dlq' });
    await evaluate(T0);
    expect(await deliver(T0, 1, false)).toEqual({ claimed: 2, sent: 0, retrying: 0, failed: 2 });
    expect(receiver.received).toHaveLength(0);
    const errors = Object.fromEntries((await listAlerts({ actor: VIEWER })).open.map((a) => [a.ruleName, a.notifications[0]!.lastError]));
    expect(errors).toEqual({ 'Loopback by name': 'address not allowed (private network)', Metadata: 'address not allowed (link-local, metadata or reserved)' });
    const audited = await prisma().auditEvent.findMany({ where: { id: { gt: auditMark }, action: 'alert.notification_failed' } });
    expect(audited.map((e) => (e.after as { lastError: string }).lastError).sort()).toEqual(['address not allowed (link-local, metadata or reserved)', 'address not allowed (private network)']);

    // The metadata address stays refused with private addresses allowed; loopback by name is then delivered.
    await prisma().alertNotification.updateMany({ data: { state: 'pending', attempts: 0 } });
    expect(await deliver(at(1), 1, true)).toEqual({ claimed: 2, sent: 1, retrying: 0, failed: 1 });
    expect(receiver.received).toHaveLength(1);
  });

  it('never delivers a resolution before its firing, while the firing waits in backoff', async () => {
    const created = await createAlertRule({ actor: OPERATOR, rule: rule() });
    await seed(10);
    receiver.answers.push(500);
    await evaluate(T0);
    expect(await deliver(T0)).toMatchObject({ retrying: 1 }); // firing: next attempt at T0 + 5 s
    await updateAlertRule({ actor: OPERATOR, id: created.id, changes: { version: created.version, enabled: false } });
    await evaluate(new Date(T0.getTime() + 1_000)); // resolved, due at once
    expect(await deliver(new Date(T0.getTime() + 2_000))).toMatchObject({ claimed: 0 });
    expect(await deliver(new Date(T0.getTime() + 6_000))).toMatchObject({ claimed: 1, sent: 1 });
    expect(await deliver(new Date(T0.getTime() + 7_000))).toMatchObject({ claimed: 1, sent: 1 });
    expect(receiver.received.map((r) => r.headers['x-dlq-event'])).toEqual(['firing', 'firing', 'resolved']);
  });

  it("changing a rule's webhook gives up its undelivered notifications instead of sending them to the old URL", async () => {
    const created = await createAlertRule({ actor: OPERATOR, rule: rule() });
    await seed(10);
    await evaluate(T0);
    const changed = await updateAlertRule({ actor: OPERATOR, id: created.id, changes: { version: created.version, webhookSecret: 'whsec-rotated-99' } });
    expect(await deliver(T0)).toMatchObject({ claimed: 0 });
    expect(receiver.received).toHaveLength(0);
    expect((await listAlerts({ actor: VIEWER })).open[0]!.notifications).toEqual([expect.objectContaining({ state: 'failed', lastError: "the rule's webhook changed before delivery" })]);
    // A change that leaves the webhook alone keeps what is queued.
    await updateAlertRule({ actor: OPERATOR, id: created.id, changes: { version: changed.version, enabled: false } });
    await evaluate(at(1));
    expect(await deliver(at(1))).toMatchObject({ claimed: 1, sent: 1 });
    expect(receiver.received.map((r) => [r.headers['x-dlq-event'], r.headers['x-dlq-signature']])).toEqual([['resolved', signBody(receiver.received[0]!.body, 'whsec-rotated-99')]]);
  });

  it('a scoped operator gets 404 for a rule outside its scope, whatever version it sends, and scope respects the subject kind', async () => {
    const scoped: TActor = { ...OPERATOR, id: 's', email: 'scoped@example.com', scope: { teamIds: [], origins: ['orders'], sources: ['orders.dlq'] } };
    const other = await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Billing', subject: 'billing.dlq', webhookUrl: null, webhookSecret: null }) });
    for (const version of [other.version, other.version + 5]) {
      await expect(updateAlertRule({ actor: scoped, id: other.id, changes: { version, threshold: 9 } })).rejects.toMatchObject({ code: 'NOT_FOUND', details: undefined });
      await expect(deleteAlertRule({ actor: scoped, id: other.id, version })).rejects.toMatchObject({ code: 'NOT_FOUND', details: undefined });
    }
    // 'orders' is one of its origin queues, not a source queue (and orders.dlq the reverse).
    await expect(createAlertRule({ actor: scoped, rule: rule({ subjectKind: 'source', subject: 'orders', webhookUrl: null, webhookSecret: null }) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createAlertRule({ actor: scoped, rule: rule({ subjectKind: 'origin', subject: 'orders.dlq', webhookUrl: null, webhookSecret: null }) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await createAlertRule({ actor: scoped, rule: rule({ subjectKind: 'origin', subject: 'orders', webhookUrl: null, webhookSecret: null }) });
    const foreignKind = await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Source named like the origin', subjectKind: 'source', subject: 'orders', webhookUrl: null, webhookSecret: null }) });
    expect((await listAlertRules({ actor: scoped })).map((r) => [r.subjectKind, r.subject])).toEqual([['origin', 'orders']]);
    await expect(updateAlertRule({ actor: scoped, id: foreignKind.id, changes: { version: 1, threshold: 9 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await prisma().alertRule.count({ where: { threshold: 9 } })).toBe(0);
  });

  it('a scoped reader gets its latest resolved alerts even when more than 100 newer ones belong to others', async () => {
    const scoped: TActor = { ...VIEWER, id: 's', email: 'scoped@example.com', scope: { teamIds: [], origins: [], sources: ['orders.dlq'] } };
    const mine = await createAlertRule({ actor: OPERATOR, rule: rule({ webhookUrl: null, webhookSecret: null }) });
    const theirs = await createAlertRule({ actor: OPERATOR, rule: rule({ name: 'Billing', subject: 'billing.dlq', webhookUrl: null, webhookSecret: null }) });
    const resolvedRow = (ruleId: string, subject: string, minutesAgo: number) => ({
      id: randomUUID(), ruleId, subject, state: 'resolved', value: 0, limitValue: 1, pendingSince: at(-minutesAgo - 1), firedAt: at(-minutesAgo - 1), resolvedAt: at(-minutesAgo), evaluatedAt: at(-minutesAgo),
    });
    await prisma().alert.createMany({ data: [
      ...Array.from({ length: 25 }, (_, i) => resolvedRow(mine.id, 'orders.dlq', 200 + i)),
      ...Array.from({ length: 120 }, (_, i) => resolvedRow(theirs.id, 'billing.dlq', i)),
    ] });
    const { recent } = await listAlerts({ actor: scoped });
    expect(recent).toHaveLength(20);
    expect(new Set(recent.map((a) => a.subject))).toEqual(new Set(['orders.dlq']));
  });

  it('counts unresolved messages with the (status, id) index, not a scan of every message', async () => {
    const plan = await prisma().$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN SELECT count(*) FROM messages WHERE ${UNRESOLVED_FILTER}`;
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan on messages_status_/);
  });
});
