import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { storeDeadLetters } from '../ingest/store-dead-letters';
import { toDeadLetterRow } from '../ingest/to-dead-letter-row';
import { createTestDatabase } from '../testing/test-database';
import { classifyMessages } from './classify-messages';
import { createCategoryRule } from './create-category-rule';
import { deleteCategoryRule } from './delete-category-rule';
import { getGroup } from './get-group';
import { getMessageGroup } from './get-message-group';
import { ZGroupQuery } from './group-dto';
import { listCategoryRules } from './list-category-rules';
import { listGroups } from './list-groups';
import { removeRunbook } from './remove-runbook';
import { setRunbook } from './set-runbook';

// The classifier and the groups API against the real PostgreSQL: concurrent steps share
// the work without counting a message twice, rule changes recompute categories in their
// audited transaction, and a team-scoped reader sees only its groups.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
const user = (role: 'admin' | 'viewer' | 'auditor' | 'operator', scope: { origins: string[]; sources: string[]; teamIds?: string[] } | null = null): TActor =>
  ({ kind: 'user', id: randomUUID(), email: `${role}@example.com`, role, scope: scope && { teamIds: [], ...scope } });
const admin = user('admin');
const viewer = user('viewer');

function deadLetter(i: number, origin: string, headers: Record<string, unknown>, { count = 1, reason = 'rejected' } = {}) {
  return toDeadLetterRow({
    sourceQueue: 'dlq',
    content: Buffer.from(JSON.stringify({ i })),
    fields: { exchange: 'dlx', routingKey: origin },
    properties: { messageId: `m-${i}`, headers: { ...headers, 'x-death': [{ queue: origin, reason, count, exchange: '', 'routing-keys': [origin] }] } },
  }, 1024 * 1024);
}

const spring = (i: number) => ({
  'x-exception-message': `Order ${1000 + i} not found`,
  'x-exception-stacktrace': Buffer.from(`com.acme.orders.OrderNotFoundException: Order ${1000 + i} not found\n\tat com.acme.Orders.handle(Orders.java:10)`),
});
const massTransit = (i: number) => ({ 'MT-Fault-ExceptionType': 'System.TimeoutException', 'MT-Fault-Message': `Timed out after ${i * 100} ms calling ${randomUUID()}` });
const nsb = (i: number) => ({ 'NServiceBus.ExceptionInfo.ExceptionType': Buffer.from('System.FormatException'), 'NServiceBus.ExceptionInfo.Message': Buffer.from(`Input string '${i}x' was not in a correct format.`) });

async function classifyAll(parallel: number, batch: number) {
  let total = 0;
  for (;;) {
    const done = await Promise.all(Array.from({ length: parallel }, () => classifyMessages({ batch })));
    total += done.reduce((a, b) => a + b, 0);
    if (done.every((n) => n === 0)) return total;
  }
}

const groupOf = async (messageId: string) => (await prisma().message.findFirstOrThrow({ where: { messageId } })).groupId!;

beforeAll(async () => {
  db = await createTestDatabase('groups');
  const rows = [];
  for (let i = 0; i < 60; i++) {
    const kind = i % 3;
    rows.push(kind === 0 ? deadLetter(i, 'orders', spring(i)) : kind === 1 ? deadLetter(i, 'payments', massTransit(i)) : deadLetter(i, 'billing', nsb(i)));
  }
  rows.push(deadLetter(100, 'orders', {}, { count: 5 }), deadLetter(101, 'orders', {}));
  await storeDeadLetters(rows);
}, 60_000);
afterAll(async () => db?.drop());

describe('the classifier', () => {
  it('groups every message once when two steps run at the same time', async () => {
    expect(await classifyAll(2, 7)).toBe(62);
    const groups = await prisma().failureGroup.findMany({ orderBy: { id: 'asc' } });
    expect(groups).toHaveLength(4);
    for (const g of groups) {
      expect(Number(g.messageCount)).toBe(await prisma().message.count({ where: { groupId: g.id } }));
    }
    expect(await prisma().message.count({ where: { groupId: null } })).toBe(0);
    const bySpring = groups.find((g) => g.framework === 'spring')!;
    expect(bySpring).toMatchObject({ originQueue: 'orders', exceptionType: 'com.acme.orders.OrderNotFoundException', exceptionMessage: 'Order <n> not found', category: 'unknown' });
    expect(groups.find((g) => g.framework === 'masstransit')).toMatchObject({ exceptionType: 'System.TimeoutException', category: 'transient' });
    expect(groups.find((g) => g.framework === 'nservicebus')).toMatchObject({ exceptionType: 'System.FormatException', category: 'persistent' });
    // No exception headers, and one message died five times: poison.
    expect(groups.find((g) => g.framework === null)).toMatchObject({ originQueue: 'orders', category: 'persistent', messageCount: 2n });
    const m = await prisma().message.findFirstOrThrow({ where: { messageId: 'm-3' } });
    expect(m).toMatchObject({ exceptionType: 'com.acme.orders.OrderNotFoundException', exceptionMessage: 'Order 1003 not found', groupId: bySpring.id });
  });

  it('adds new messages to the existing groups, and moves last seen', async () => {
    const before = await prisma().failureGroup.findFirstOrThrow({ where: { framework: 'masstransit' } });
    await storeDeadLetters([deadLetter(200, 'payments', massTransit(200)), deadLetter(201, 'payments', massTransit(201))]);
    expect(await classifyAll(3, 1)).toBe(2);
    const after = await prisma().failureGroup.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.messageCount).toBe(before.messageCount + 2n);
    expect(after.lastSeenAt.getTime()).toBeGreaterThanOrEqual(before.lastSeenAt.getTime());
    expect(after.firstSeenAt).toEqual(before.firstSeenAt);
    expect(await prisma().failureGroup.count()).toBe(4);
  });
});

describe('the groups API', () => {
  const all = (q: Record<string, string> = {}) => ZGroupQuery.parse(q);

  it('lists groups with counts, status breakdown, trend, sample and owner', async () => {
    const team = await prisma().team.create({ data: { name: 'payments-team', queue: 'payments-inbox' } });
    await prisma().teamOwnership.create({ data: { kind: 'origin', queue: 'payments', teamId: team.id } });
    const { items } = await listGroups({ actor: viewer, query: all() });
    expect(items).toHaveLength(4);
    const payments = items.find((g) => g.originQueue === 'payments')!;
    expect(payments).toMatchObject({ messageCount: 22, storedCount: 22, byStatus: { new: 22 }, ownerTeam: { id: team.id, name: 'payments-team' }, category: 'transient' });
    expect(payments.trend).toHaveLength(24);
    expect(payments.trend.reduce((a, b) => a + b, 0)).toBe(22);
    expect(payments.trend[23]).toBe(22);
    const sample = await prisma().message.findUniqueOrThrow({ where: { id: BigInt(payments.sampleMessageId!) } });
    expect(sample.groupId?.toString()).toBe(payments.id);
  });

  it('filters by origin, category, status and exception text, sorts by count, and pages by keyset', async () => {
    expect((await listGroups({ actor: viewer, query: all({ origin: 'billing' }) })).items.map((g) => g.exceptionType)).toEqual(['System.FormatException']);
    expect((await listGroups({ actor: viewer, query: all({ category: 'transient' }) })).items.map((g) => g.originQueue)).toEqual(['payments']);
    expect((await listGroups({ actor: viewer, query: all({ q: 'not FOUND' }) })).items.map((g) => g.originQueue)).toEqual(['orders']);
    const m = await prisma().message.findFirstOrThrow({ where: { messageId: 'm-2' } });
    await prisma().message.update({ where: { id: m.id }, data: { status: 'discarded' } });
    expect((await listGroups({ actor: viewer, query: all({ status: 'discarded' }) })).items.map((g) => g.originQueue)).toEqual(['billing']);
    const billing = await getGroup({ actor: viewer, id: m.groupId!.toString() });
    expect(billing.byStatus).toEqual({ new: 19, discarded: 1 });

    for (const sort of ['count', 'last_seen']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listGroups({ actor: viewer, query: all({ sort, limit: '1', ...(cursor ? { cursor } : {}) }) });
        seen.push(...page.items.map((g) => g.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(4);
      if (sort === 'count') {
        const counts = await Promise.all(seen.map(async (id) => (await getGroup({ actor: viewer, id })).messageCount));
        expect(counts).toEqual([...counts].sort((a, b) => b - a));
      }
    }
    await expect(listGroups({ actor: viewer, query: all({ sort: 'count', cursor: (await listGroups({ actor: viewer, query: all({ limit: '1' }) })).nextCursor! }) }))
      .rejects.toThrow(/cursor/);
  });

  it('shows a team-scoped reader only the groups and counts of its queues', async () => {
    const scoped = user('viewer', { origins: ['billing'], sources: [] });
    const { items } = await listGroups({ actor: scoped, query: all() });
    expect(items.map((g) => g.originQueue)).toEqual(['billing']);
    const orders = await groupOf('m-0');
    await expect(getGroup({ actor: scoped, id: orders.toString() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const bySource = user('viewer', { origins: [], sources: ['dlq'] });
    expect((await listGroups({ actor: bySource, query: all() })).items).toHaveLength(4);
  });
});

describe('category rules', () => {
  it('recomputes every group in the audited transaction of the change, and back on delete', async () => {
    const orders = await groupOf('m-0');
    const { rule, groupsChanged } = await createCategoryRule({ actor: admin, field: 'exception_type', pattern: 'OrderNotFound', category: 'persistent', suggestedAction: 'Ask the orders team' });
    expect(groupsChanged).toBe(1);
    expect(await prisma().failureGroup.findUniqueOrThrow({ where: { id: orders } })).toMatchObject({ category: 'persistent', suggestedAction: 'Ask the orders team', categoryRuleId: rule.id });
    const created = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'category_rule.created', subject: `category_rule:${rule.id}` } });
    expect(created.after).toMatchObject({ pattern: 'OrderNotFound', category: 'persistent', groupsChanged: 1 });

    // A rule in front of it wins; new groups take the rules as they are.
    const payments = await groupOf('m-1');
    const poison = (await prisma().failureGroup.findFirstOrThrow({ where: { originQueue: 'orders', framework: null } })).id;
    const first = await createCategoryRule({ actor: admin, field: 'exception_message', pattern: 'TIMED OUT after <n>*calling', category: 'persistent', position: 1 });
    expect(first.groupsChanged).toBe(1);
    expect((await listCategoryRules({ actor: user('auditor') })).items.map((r) => [r.id, r.position])).toEqual([[first.rule.id, 1], [rule.id, 2]]);
    expect(await prisma().failureGroup.findUniqueOrThrow({ where: { id: payments } })).toMatchObject({ category: 'persistent', categoryRuleId: first.rule.id });
    expect((await prisma().failureGroup.findUniqueOrThrow({ where: { id: orders } })).category).toBe('persistent');
    // Poison is read from the group's repeated-deaths flag, kept by the classifier.
    expect(await prisma().failureGroup.findUniqueOrThrow({ where: { id: poison } })).toMatchObject({ repeatedDeaths: true, category: 'persistent', categoryRuleId: null });
    await deleteCategoryRule({ actor: admin, id: first.rule.id });
    expect((await prisma().failureGroup.findUniqueOrThrow({ where: { id: payments } })).category).toBe('transient');

    await deleteCategoryRule({ actor: admin, id: rule.id });
    expect(await prisma().failureGroup.findUniqueOrThrow({ where: { id: orders } })).toMatchObject({ category: 'unknown', categoryRuleId: null });
    expect(await prisma().auditEvent.count({ where: { action: 'category_rule.deleted' } })).toBe(2);
  });

  it('refuses bad patterns and other callers, and changes nothing', async () => {
    const events = await prisma().auditEvent.count();
    const refuse = async (p: Promise<unknown>, code: AppError['code']) => expect(await p.then(() => null, (e: unknown) => e)).toMatchObject({ code });
    await refuse(createCategoryRule({ actor: admin, field: 'any', pattern: '**', category: 'transient' }), 'INVALID_INPUT');
    await refuse(createCategoryRule({ actor: admin, field: 'any', pattern: 'a*b*c*d*e*f*g*h*i*j*k*l', category: 'transient' }), 'INVALID_INPUT');
    await refuse(createCategoryRule({ actor: admin, field: 'any', pattern: 'x'.repeat(201), category: 'transient' }), 'INVALID_INPUT');
    await refuse(createCategoryRule({ actor: admin, field: 'body' as 'any', pattern: 'x', category: 'transient' }), 'INVALID_INPUT');
    await refuse(createCategoryRule({ actor: admin, field: 'any', pattern: 'x', category: 'unknown' as 'transient' }), 'INVALID_INPUT');
    await refuse(createCategoryRule({ actor: user('operator'), field: 'any', pattern: 'x', category: 'transient' }), 'FORBIDDEN');
    await refuse(deleteCategoryRule({ actor: admin, id: randomUUID() }), 'NOT_FOUND');
    await refuse(listCategoryRules({ actor: viewer }), 'FORBIDDEN');
    expect(await prisma().failureCategoryRule.count()).toBe(0);
    expect(await prisma().auditEvent.count()).toBe(events);
  });
});

describe('recategorising many groups', () => {
  it('reads the groups in batches and writes every change, then back', async () => {
    await prisma().$executeRaw`
      INSERT INTO failure_groups (signature, origin_queue, reason, exception_message, category)
      SELECT sha256(convert_to('bulk-' || i, 'UTF8')), 'bulk-q', 'rejected', 'Bulk failure ' || i, 'unknown' FROM generate_series(1, 2500) AS i`;
    const rule = await createCategoryRule({ actor: admin, field: 'exception_message', pattern: 'bulk failure', category: 'transient' });
    expect(rule.groupsChanged).toBe(2500);
    expect(await prisma().failureGroup.count({ where: { originQueue: 'bulk-q', category: 'transient', categoryRuleId: rule.rule.id } })).toBe(2500);
    expect(await deleteCategoryRule({ actor: admin, id: rule.rule.id })).toMatchObject({ groupsChanged: 2500 });
    // Back to the built-in rules: unknown, but for the few whose number reads as a status code (429, 500-504).
    expect(await prisma().failureGroup.count({ where: { originQueue: 'bulk-q', categoryRuleId: null } })).toBe(2500);
    expect(await prisma().failureGroup.count({ where: { originQueue: 'bulk-q', category: 'unknown' } })).toBe(2494);
    await prisma().failureGroup.deleteMany({ where: { originQueue: 'bulk-q' } });
  });
});

describe('runbooks', () => {
  it('links a group and an origin, shown on the group and the message, audited', async () => {
    const payments = await groupOf('m-1');
    await setRunbook({ actor: admin, kind: 'origin', key: 'payments', url: 'https://wiki.example.com/payments' });
    expect((await getGroup({ actor: viewer, id: payments.toString() })).runbook).toEqual({ kind: 'origin', url: 'https://wiki.example.com/payments' });
    await setRunbook({ actor: admin, kind: 'group', key: payments.toString(), url: 'http://wiki.example.com/timeouts' });
    expect((await getGroup({ actor: viewer, id: payments.toString() })).runbook).toEqual({ kind: 'group', url: 'http://wiki.example.com/timeouts' });
    expect((await getMessageGroup({ groupId: payments }))?.runbook).toEqual({ kind: 'group', url: 'http://wiki.example.com/timeouts' });
    await removeRunbook({ actor: admin, kind: 'group', key: payments.toString() });
    expect((await getMessageGroup({ groupId: payments }))?.runbook?.kind).toBe('origin');
    expect(await prisma().auditEvent.count({ where: { action: 'runbook.set' } })).toBe(2);
    expect(await prisma().auditEvent.count({ where: { action: 'runbook.removed' } })).toBe(1);
  });

  it('refuses links that are not http(s), unknown groups and non-admins', async () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'ftp://x', 'https://user:pw@x.example', 'not a url', `https://x.example/${'a'.repeat(2001)}`]) {
      await expect(setRunbook({ actor: admin, kind: 'origin', key: 'orders', url })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(setRunbook({ actor: admin, kind: 'group', key: '999999', url: 'https://x.example' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(setRunbook({ actor: admin, kind: 'group', key: 'orders', url: 'https://x.example' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(setRunbook({ actor: user('operator'), kind: 'origin', key: 'orders', url: 'https://x.example' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(removeRunbook({ actor: admin, kind: 'origin', key: 'orders' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await prisma().runbook.count({ where: { key: 'orders' } })).toBe(0);
  });
});

describe('hostile exception text', () => {
  it('groups a message whose exception text has an emoji at every cut point, and the messages after it', async () => {
    const emoji = 'x'.repeat(498) + '\u{1F600}'.repeat(800);
    await storeDeadLetters([
      deadLetter(300, 'emoji-q', { 'x-exception-message': emoji, 'x-exception-stacktrace': `com.acme.EmojiException: ${emoji}` }),
      deadLetter(301, 'emoji-q', { 'MT-Fault-ExceptionType': 'T'.repeat(254) + '\u{1F600}', 'MT-Fault-Message': emoji }),
      deadLetter(302, 'emoji-q', spring(302)),
    ]);
    expect(await classifyAll(1, 10)).toBe(3);
    expect(await prisma().message.count({ where: { groupId: null } })).toBe(0);
    const m = await prisma().message.findFirstOrThrow({ where: { messageId: 'm-300' } });
    expect(m.exceptionMessage).toMatch(/^x{498}(\u{1F600})+…$/u);
    const g = await prisma().failureGroup.findUniqueOrThrow({ where: { id: m.groupId! } });
    expect(g.exceptionMessage).toBe('x'.repeat(498) + '…');
  });

  it('groups the rest of a batch when the database refuses one row, and that row without its exception text', async () => {
    await prisma().$executeRawUnsafe(`ALTER TABLE messages ADD CONSTRAINT test_refuse CHECK (exception_message IS NULL OR exception_message NOT LIKE '%refuse me%')`);
    try {
      await storeDeadLetters([0, 1, 2, 3, 4].map((i) => deadLetter(400 + i, 'isolate-q', i === 2 ? { 'x-exception-message': 'please refuse me' } : spring(400 + i))));
      expect(await classifyMessages({ batch: 10 })).toBe(5);
      expect(await prisma().message.count({ where: { groupId: null } })).toBe(0);
      const refused = await prisma().message.findFirstOrThrow({ where: { messageId: 'm-402' } });
      expect(refused.exceptionMessage).toBeNull();
      expect(await prisma().failureGroup.findUniqueOrThrow({ where: { id: refused.groupId! } }))
        .toMatchObject({ originQueue: 'isolate-q', exceptionType: null, exceptionMessage: null, messageCount: 1n });
      const others = await prisma().message.findMany({ where: { messageId: { in: ['m-400', 'm-401', 'm-403', 'm-404'] } } });
      expect(new Set(others.map((o) => o.groupId)).size).toBe(1);
      expect((await prisma().failureGroup.findUniqueOrThrow({ where: { id: others[0]!.groupId! } })).messageCount).toBe(4n);
    } finally {
      await prisma().$executeRawUnsafe('ALTER TABLE messages DROP CONSTRAINT test_refuse');
    }
  });
});

describe('team scope through ownership rules', () => {
  it('shows a reader the group, counts, trend and sample of the messages a rule gave its team', async () => {
    const team = await prisma().team.create({ data: { name: 'owner-team', queue: 'owner-inbox' } });
    await storeDeadLetters([deadLetter(500, 'owned-q', spring(500)), deadLetter(501, 'owned-q', spring(501))]);
    await classifyAll(1, 10);
    const owned = await prisma().message.findFirstOrThrow({ where: { messageId: 'm-501' } });
    await prisma().message.update({ where: { id: owned.id }, data: { ownerTeamId: team.id } });
    const reader = user('viewer', { origins: [], sources: [], teamIds: [team.id] });
    const { items } = await listGroups({ actor: reader, query: ZGroupQuery.parse({}) });
    expect(items.map((g) => g.id)).toEqual([owned.groupId!.toString()]);
    const g = await getGroup({ actor: reader, id: owned.groupId!.toString() });
    expect(g).toMatchObject({ storedCount: 1, byStatus: { new: 1 }, sampleMessageId: owned.id.toString() });
    expect(g.trend.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await listGroups({ actor: user('viewer', { origins: [], sources: [], teamIds: [randomUUID()] }), query: ZGroupQuery.parse({}) })).items).toEqual([]);
  });
});

describe('exception text under header redaction', () => {
  it('masks the text a header rule masks for readers without messages:read-sensitive, and refuses a text filter', async () => {
    const payments = (await groupOf('m-1')).toString();
    const orders = (await groupOf('m-0')).toString();
    await prisma().redactionRule.create({ data: { kind: 'header', pattern: 'mt-fault-message', createdBy: 'test' } });
    try {
      expect(await getGroup({ actor: viewer, id: payments })).toMatchObject({ exceptionType: 'System.TimeoutException', exceptionMessage: null, redacted: true });
      expect(await getGroup({ actor: viewer, id: orders })).toMatchObject({ exceptionMessage: 'Order <n> not found', redacted: false });
      expect((await getGroup({ actor: user('auditor'), id: payments })).exceptionMessage).toMatch(/^Timed out after/);
      expect((await listGroups({ actor: viewer, query: ZGroupQuery.parse({}) })).items.find((g) => g.id === payments)).toMatchObject({ exceptionMessage: null, redacted: true });
      expect(await getMessageGroup({ actor: viewer, groupId: BigInt(payments) })).toMatchObject({ exceptionMessage: null, redacted: true });
      expect(await getMessageGroup({ groupId: BigInt(payments) })).toMatchObject({ exceptionMessage: null, redacted: true });
      expect(await getMessageGroup({ actor: admin, groupId: BigInt(payments) })).toMatchObject({ exceptionMessage: expect.stringMatching(/^Timed out/), redacted: false });
      await expect(listGroups({ actor: viewer, query: ZGroupQuery.parse({ q: 'timed out' }) })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/MT-Fault-Message.*messages:read-sensitive/) });
      expect((await listGroups({ actor: user('auditor'), query: ZGroupQuery.parse({ q: 'timed out' }) })).items.map((g) => g.id)).toEqual([payments]);

      // The stack trace gives Spring groups their type: masking it masks type and message.
      await prisma().redactionRule.create({ data: { kind: 'header', pattern: 'X-Exception-Stacktrace', createdBy: 'test' } });
      expect(await getGroup({ actor: viewer, id: orders })).toMatchObject({ exceptionType: null, exceptionMessage: null, redacted: true });
    } finally {
      await prisma().redactionRule.deleteMany({ where: { kind: 'header' } });
    }
    expect(await getGroup({ actor: viewer, id: payments })).toMatchObject({ redacted: false, exceptionMessage: expect.stringMatching(/^Timed out/) });
    expect((await listGroups({ actor: viewer, query: ZGroupQuery.parse({ q: 'timed out' }) })).items.map((g) => g.id)).toEqual([payments]);
  });
});
