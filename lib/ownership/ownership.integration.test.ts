import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { settledStatuses, startApprovalFixture, type TApprovalFixture } from '../approvals/approval-fixture';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { findMessages } from '../messages/find-messages';
import { getMessage } from '../messages/get-message';
import { ZFindMessagesQuery } from '../messages/message-dto';
import { createRedactionRule } from '../redaction/create-redaction-rule';
import { deleteRedactionRule } from '../redaction/delete-redaction-rule';
import { waitFor } from '../testing/test-broker';
import { createOwnershipRule } from './create-ownership-rule';
import { deleteOwnershipRule } from './delete-ownership-rule';
import { listOwnershipRules } from './list-ownership-rules';
import { loadRuleSubjects, subjectOf } from './load-rule-subjects';
import { previewOwnershipRule } from './preview-ownership-rule';
import { tagMessageOwners } from './tag-message-owners';
import { updateOwnershipRule } from './update-ownership-rule';

// Rules, their audit trail and preview against stored rows; then the worker step with the
// real broker, ingest and dispatcher: tags, auto-redirects once, and sends the unmatched
// to every team.

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };
const LEAD: TActor = { kind: 'user', id: 'l', email: 'lead@example.com', role: 'support_lead' };
const OPERATOR: TActor = { kind: 'user', id: 'o', email: 'op@example.com', role: 'operator' };

let f: TApprovalFixture;
beforeAll(async () => { f = await startApprovalFixture('ownership'); }, 60_000);
afterAll(async () => f?.stop());

async function team(name: string, queue: string) {
  return prisma().team.create({ data: { name: `${name}-${randomBytes(2).toString('hex')}`, queue } });
}

/** A stored dead letter, as ingest leaves it (unchecked). */
async function storedMessage({ bodyJson, ...over }: Partial<Prisma.MessageUncheckedCreateInput> & { bodyJson?: Prisma.InputJsonValue } = {}) {
  const body = Buffer.from(JSON.stringify(bodyJson ?? {}));
  return prisma().message.create({
    data: {
      sourceQueue: 'rows.dlq', fingerprint: randomBytes(8), originQueue: 'orders', reason: 'rejected', routingKeys: ['orders.created'], deathCount: 1,
      size: body.length, isLarge: false, body, properties: {}, headers: {}, xDeath: [], deliveryExchange: '', deliveryRoutingKey: 'rows.dlq',
      search: { create: { searchText: '', ...(bodyJson === undefined ? {} : { bodyJson }) } },
      ...over,
    },
  });
}

const tagAll = async () => { while ((await tagMessageOwners({ batchSize: 50 })).more); };
const ownerOf = async (id: bigint) => prisma().message.findUniqueOrThrow({ where: { id }, select: { ownerTeamId: true, ownerRuleId: true, ownerCheckedAt: true, status: true } });

describe('ownership rules', () => {
  it('are created in order, changed, moved and deleted by a support lead, each change audited with before and after', async () => {
    const billing = await team('billing', 'billing.q');
    const identity = await team('identity', 'identity.q');
    const a = await createOwnershipRule({ actor: LEAD, rule: { teamId: billing.id, matchKind: 'origin_queue', pattern: 'billing.*' } });
    const b = await createOwnershipRule({ actor: LEAD, rule: { teamId: identity.id, matchKind: 'header', matchKey: 'x-tenant', pattern: 'id-*' } });
    expect([a.position, b.position]).toEqual([1, 2]);

    await updateOwnershipRule({ actor: LEAD, id: b.id, changes: { position: 1 } });
    expect((await listOwnershipRules({ actor: OPERATOR })).filter((r) => [a.id, b.id].includes(r.id)).map((r) => [r.id, r.position])).toEqual([[b.id, 1], [a.id, 2]]);
    await updateOwnershipRule({ actor: LEAD, id: a.id, changes: { enabled: false, pattern: 'billing.#' } });
    const auditBefore = await prisma().auditEvent.count();
    await updateOwnershipRule({ actor: LEAD, id: a.id, changes: { enabled: false } });
    expect(await prisma().auditEvent.count()).toBe(auditBefore);
    await deleteOwnershipRule({ actor: LEAD, id: b.id });
    expect((await listOwnershipRules({ actor: OPERATOR })).find((r) => r.id === a.id)).toMatchObject({ position: 1, enabled: false, pattern: 'billing.#', teamName: billing.name });

    const events = await prisma().auditEvent.findMany({ where: { action: { startsWith: 'ownership_rule.' } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['ownership_rule.created', 'user:lead@example.com'],
      ['ownership_rule.created', 'user:lead@example.com'],
      ['ownership_rule.reordered', 'user:lead@example.com'],
      ['ownership_rule.updated', 'user:lead@example.com'],
      ['ownership_rule.deleted', 'user:lead@example.com'],
    ]);
    expect(events[3]).toMatchObject({ before: { enabled: true, pattern: 'billing.*' }, after: { enabled: false, pattern: 'billing.#' } });
    expect(events[2]).toMatchObject({ before: { position: 2 }, after: { position: 1 } });
    expect(events[4]).toMatchObject({ before: { matchKind: 'header', matchKey: 'x-tenant', pattern: 'id-*' } });
    await deleteOwnershipRule({ actor: ADMIN, id: a.id });
  });

  it('refuse bad input, unknown teams, operators and team-scoped leads, changing nothing', async () => {
    const billing = await team('billing', 'billing.q');
    const scoped: TActor = { ...LEAD, scope: { teamIds: [billing.id], origins: [], sources: [] } };
    const before = [await prisma().ownershipRule.count(), await prisma().auditEvent.count()];
    const bad: [TActor, unknown, string][] = [
      [LEAD, { teamId: billing.id, matchKind: 'json_path', matchKey: 'customer.region', pattern: 'eu' }, 'INVALID_INPUT'],
      [LEAD, { teamId: billing.id, matchKind: 'header', pattern: 'x' }, 'INVALID_INPUT'],
      [LEAD, { teamId: billing.id, matchKind: 'sql', pattern: 'x' }, 'INVALID_INPUT'],
      [LEAD, { teamId: billing.id, matchKind: 'origin_queue', pattern: '' }, 'INVALID_INPUT'],
      [LEAD, { teamId: '00000000-0000-4000-8000-000000000000', matchKind: 'origin_queue', pattern: 'x' }, 'INVALID_INPUT'],
      [OPERATOR, { teamId: billing.id, matchKind: 'origin_queue', pattern: 'x' }, 'FORBIDDEN'],
      [scoped, { teamId: billing.id, matchKind: 'origin_queue', pattern: 'x' }, 'FORBIDDEN'],
    ];
    for (const [actor, rule, code] of bad) await expect(createOwnershipRule({ actor, rule: rule as never })).rejects.toMatchObject({ code });
    await expect(updateOwnershipRule({ actor: LEAD, id: '00000000-0000-4000-8000-000000000000', changes: { enabled: false } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(updateOwnershipRule({ actor: LEAD, id: 'nope', changes: { position: 1, enabled: true } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(deleteOwnershipRule({ actor: LEAD, id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect([await prisma().ownershipRule.count(), await prisma().auditEvent.count()]).toEqual(before);
  });

  it('preview counts matches among the most recent messages in the caller scope, and how many would change owner, saving nothing', async () => {
    const region = `r-${randomBytes(3).toString('hex')}`;
    const eu = await team('eu', 'eu.q');
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await storedMessage({ bodyJson: { customer: { region: i < 3 ? region : 'us' } }, ownerTeamId: i === 0 ? eu.id : null })).id);
    const before = [await prisma().ownershipRule.count(), await prisma().auditEvent.count()];
    const preview = await previewOwnershipRule({ actor: LEAD, request: { teamId: eu.id, matchKind: 'json_path', matchKey: '$.customer.region', pattern: region } });
    expect(preview).toMatchObject({ matched: 3, changes: 2 });
    expect(preview.scanned).toBeLessThanOrEqual(1000);
    expect(preview.sample.map((s) => s.id).sort()).toEqual(ids.slice(0, 3).map(String).sort());
    expect((await previewOwnershipRule({ actor: LEAD, request: { teamId: eu.id, matchKind: 'json_path', matchKey: '$.customer.region', pattern: region, limit: 3 } })).scanned).toBe(3);
    // A scoped reader previews only what it may see: here, the one message already owned by its team.
    const scoped: TActor = { ...LEAD, scope: { teamIds: [eu.id], origins: ['nothing-here'], sources: [] } };
    expect(await previewOwnershipRule({ actor: scoped, request: { teamId: eu.id, matchKind: 'json_path', matchKey: '$.customer.region', pattern: region } })).toMatchObject({ scanned: 1, matched: 1, changes: 0 });
    await expect(previewOwnershipRule({ actor: LEAD, request: { teamId: eu.id, matchKind: 'origin_queue', pattern: 'x', limit: 5000 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(previewOwnershipRule({ actor: OPERATOR, request: { teamId: eu.id, matchKind: 'origin_queue', pattern: 'x' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect([await prisma().ownershipRule.count(), await prisma().auditEvent.count()]).toEqual(before);
    await prisma().message.updateMany({ where: { id: { in: ids } }, data: { ownerCheckedAt: new Date() } });
  });
});

describe('rules on masked values', () => {
  it('are refused to a support lead without messages:read-sensitive (preview, create, update), so counts cannot spell out a masked value', async () => {
    const payments = await team('payments', 'payments.q');
    const header = await createRedactionRule({ actor: ADMIN, kind: 'header', pattern: 'X-Card-Number' });
    const path = await createRedactionRule({ actor: ADMIN, kind: 'json_path', pattern: '$.payment..pan' });
    let masked: { id: bigint } | null = null;
    try {
      masked = await storedMessage({ headers: { 'x-card-number': { type: 'string', value: '4111111111111111' } }, bodyJson: { payment: { card: { pan: '4111' } } } });
      const before = [await prisma().ownershipRule.count(), await prisma().auditEvent.count()];
      const headerRule = { teamId: payments.id, matchKind: 'header' as const, matchKey: 'x-card-number', pattern: '41*' };
      const pathRule = { teamId: payments.id, matchKind: 'json_path' as const, matchKey: '$.payment.card.pan', pattern: '4111' };
      const headerRefusal = {
        code: 'FORBIDDEN',
        message: 'The ownership rule on header x-card-number reads a header that redaction rule x-card-number masks for you; a rule on it needs the messages:read-sensitive permission',
      };
      const pathRefusal = {
        code: 'FORBIDDEN',
        message: 'The ownership rule on JSON path $.payment.card.pan reads a field that redaction rule $.payment..pan masks for you; a rule on it needs the messages:read-sensitive permission',
      };
      await expect(previewOwnershipRule({ actor: LEAD, request: headerRule })).rejects.toMatchObject(headerRefusal);
      await expect(previewOwnershipRule({ actor: LEAD, request: { ...headerRule, matchKey: 'X-CARD-NUMBER' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(previewOwnershipRule({ actor: LEAD, request: pathRule })).rejects.toMatchObject(pathRefusal);
      await expect(createOwnershipRule({ actor: LEAD, rule: headerRule })).rejects.toMatchObject(headerRefusal);
      await expect(createOwnershipRule({ actor: LEAD, rule: pathRule })).rejects.toMatchObject(pathRefusal);
      // An allowed rule cannot be turned into one on a masked value either.
      const allowed = await createOwnershipRule({ actor: LEAD, rule: { ...headerRule, matchKey: 'x-tenant', pattern: 'acme' } });
      const afterCreate = [await prisma().ownershipRule.count(), await prisma().auditEvent.count()];
      await expect(updateOwnershipRule({ actor: LEAD, id: allowed.id, changes: { matchKey: 'x-card-number' } })).rejects.toMatchObject(headerRefusal);
      await expect(updateOwnershipRule({ actor: LEAD, id: allowed.id, changes: { matchKind: 'json_path', matchKey: '$.payment.card.pan' } })).rejects.toMatchObject(pathRefusal);
      expect([await prisma().ownershipRule.count(), await prisma().auditEvent.count()]).toEqual(afterCreate);
      expect(afterCreate).toEqual([before[0]! + 1, before[1]! + 1]);
      // Neighbouring values stay open, and an admin (who reads sensitive values) may do all of it.
      await expect(previewOwnershipRule({ actor: LEAD, request: { ...pathRule, matchKey: '$.payment.currency' } })).resolves.toMatchObject({ matched: 0 });
      await expect(previewOwnershipRule({ actor: ADMIN, request: headerRule })).resolves.toMatchObject({ matched: 1 });
      await expect(previewOwnershipRule({ actor: ADMIN, request: pathRule })).resolves.toMatchObject({ matched: 1 });
      await deleteOwnershipRule({ actor: ADMIN, id: allowed.id });
    } finally {
      await deleteRedactionRule({ actor: ADMIN, id: header.id });
      await deleteRedactionRule({ actor: ADMIN, id: path.id });
      if (masked) await prisma().message.update({ where: { id: masked.id }, data: { ownerCheckedAt: new Date() } });
    }
  });
});

describe('tagging (the worker step)', () => {
  it('tags each unchecked message with the first matching enabled rule, every kind, and leaves the unmatched without owner', async () => {
    await tagAll();
    const [t1, t2, t3, t4] = [await team('t1', 'q1'), await team('t2', 'q2'), await team('t3', 'q3'), await team('t4', 'q4')];
    const rules = [
      await createOwnershipRule({ actor: ADMIN, rule: { teamId: t4.id, matchKind: 'origin_queue', pattern: 'payments.*', enabled: false } }),
      await createOwnershipRule({ actor: ADMIN, rule: { teamId: t1.id, matchKind: 'origin_queue', pattern: 'payments.*' } }),
      await createOwnershipRule({ actor: ADMIN, rule: { teamId: t2.id, matchKind: 'routing_key', pattern: 'user.*.eu' } }),
      await createOwnershipRule({ actor: ADMIN, rule: { teamId: t3.id, matchKind: 'header', matchKey: 'x-team', pattern: 'ship*' } }),
      await createOwnershipRule({ actor: ADMIN, rule: { teamId: t4.id, matchKind: 'json_path', matchKey: '$.lines[0].sku', pattern: 'A-1' } }),
    ];
    const byOrigin = await storedMessage({ originQueue: 'payments.cards', routingKeys: ['user.created.eu'] });
    const byKey = await storedMessage({ originQueue: 'users', routingKeys: ['user.created.eu'] });
    const byHeader = await storedMessage({ headers: { 'x-team': { type: 'string', value: 'shipping' } } });
    const byPath = await storedMessage({ bodyJson: { lines: [{ sku: 'A-1' }] } });
    const none = await storedMessage({ bodyJson: { lines: [{ sku: 'B-2' }] } });
    await tagAll();
    const owners = await Promise.all([byOrigin, byKey, byHeader, byPath, none].map((m) => ownerOf(m.id)));
    expect(owners.map((o) => [o.ownerTeamId, o.ownerRuleId])).toEqual([
      [t1.id, rules[1]!.id], [t2.id, rules[2]!.id], [t3.id, rules[3]!.id], [t4.id, rules[4]!.id], [null, null],
    ]);
    expect(owners.every((o) => o.ownerCheckedAt !== null && o.status === 'new')).toBe(true);
    expect((await listOwnershipRules({ actor: ADMIN })).find((r) => r.id === rules[1]!.id)?.tagged).toBe(1);
    for (const r of rules) await deleteOwnershipRule({ actor: ADMIN, id: r.id });
    // The owner stays when its rule goes.
    expect((await ownerOf(byOrigin.id)).ownerTeamId).toBe(t1.id);
  });

  it('auto-redirects a new message to its team once, even with two steps at once and a rerun after a crash', async () => {
    await tagAll();
    const dest = await f.broker.queue(`team-${randomBytes(2).toString('hex')}`);
    const owner = await team('owner', dest);
    await prisma().source.update({ where: { queue: f.source.dlq }, data: { autoRedirect: true } });
    const { work, ids } = await f.deadLetters(1, { label: 'auto' });
    const rule = await createOwnershipRule({ actor: ADMIN, rule: { teamId: owner.id, matchKind: 'origin_queue', pattern: work } });

    const results = await Promise.all([tagMessageOwners(), tagMessageOwners(), tagMessageOwners()]);
    expect(results.reduce((n, r) => n + r.redirected, 0)).toBeGreaterThanOrEqual(1);
    await tagAll();
    expect(await settledStatuses(ids)).toEqual(['redirected']);
    // A crash after the redirect and before the message was marked checked: the rerun gets the first answer.
    await prisma().message.update({ where: { id: ids[0]! }, data: { ownerCheckedAt: null, status: 'new' } });
    await tagAll();
    await new Promise((r) => setTimeout(r, 500));
    expect(await f.broker.messageCount(dest)).toBe(1);
    expect(await prisma().dispatch.count({ where: { messageId: ids[0]! } })).toBe(1);
    expect(await prisma().auditEvent.findMany({ where: { messageId: ids[0]!, action: 'message.redirect_requested' }, select: { actor: true } })).toEqual([{ actor: 'system:worker' }]);
    expect(await ownerOf(ids[0]!)).toMatchObject({ ownerTeamId: owner.id, ownerRuleId: rule.id });
    await deleteOwnershipRule({ actor: ADMIN, id: rule.id });
    await prisma().source.update({ where: { queue: f.source.dlq }, data: { autoRedirect: false } });
  });

  it('sends a new message no rule matches to every team when the source says so; without auto-redirect it only tags', async () => {
    await tagAll();
    await prisma().team.deleteMany({});
    const [qa, qb] = [await f.broker.queue('all-a'), await f.broker.queue('all-b')];
    await team('all-a', qa);
    await team('all-b', qb);
    await prisma().source.update({ where: { queue: f.source.dlq }, data: { autoRedirect: true, unmatchedToAllTeams: true } });
    const sent = await f.deadLetters(1, { label: 'unmatched' });
    await tagAll();
    expect(await settledStatuses(sent.ids)).toEqual(['redirected']);
    await waitFor(async () => (await f.broker.messageCount(qa)) === 1 && (await f.broker.messageCount(qb)) === 1, { what: 'one copy in each team queue' });

    await prisma().source.update({ where: { queue: f.source.dlq }, data: { autoRedirect: false } });
    const kept = await f.deadLetters(1, { label: 'kept' });
    await tagAll();
    expect(await ownerOf(kept.ids[0]!)).toMatchObject({ status: 'new', ownerTeamId: null });
    expect(await prisma().dispatch.count({ where: { messageId: kept.ids[0]! } })).toBe(0);
    await prisma().source.update({ where: { queue: f.source.dlq }, data: { unmatchedToAllTeams: false } });
  });

  it('sends an auto-redirect of a protected source for approval, once', async () => {
    await tagAll();
    const dest = await f.broker.queue('guarded-team');
    const owner = await team('guarded', dest);
    await prisma().source.update({ where: { queue: f.protectedSource.dlq }, data: { autoRedirect: true } });
    const { work, ids } = await f.deadLetters(1, { through: f.protectedSource, label: 'guarded' });
    const rule = await createOwnershipRule({ actor: ADMIN, rule: { teamId: owner.id, matchKind: 'origin_queue', pattern: work } });
    await tagAll();
    await prisma().message.update({ where: { id: ids[0]! }, data: { ownerCheckedAt: null } });
    await tagAll();
    const requests = await prisma().approvalRequest.findMany({ where: { messageIds: { has: ids[0]! } } });
    expect(requests.map((r) => [r.kind, r.status, r.requestedBy])).toEqual([['redirect', 'pending', 'system:worker']]);
    expect(await ownerOf(ids[0]!)).toMatchObject({ status: 'new', ownerTeamId: owner.id });
    expect(await f.broker.messageCount(dest)).toBe(0);
    await deleteOwnershipRule({ actor: ADMIN, id: rule.id });
  });
});

describe('what rules read from the database', () => {
  it('projects header and JSON path values exactly as the in-memory reader does: indexes, quoted names, null against absent, hostile keys', async () => {
    // Written as text, as ingest writes them: a JavaScript object would lose its "__proto__" key on the way.
    const body = '{"a":{"0":"object-key","list":["x",{"b c":"quoted"}]},"n":null,"f":false,"num":2.5,"__proto__":{"x":1}}';
    const headers = '{"x-team":{"type":"string","value":"ship"},"__proto__":{"type":"string","value":"proto"},"count":{"type":"number","value":3}}';
    const stored = await storedMessage({ ownerCheckedAt: new Date() });
    await prisma().$executeRaw`UPDATE message_search SET body_json = ${body}::jsonb WHERE message_id = ${stored.id}`;
    await prisma().$executeRaw`UPDATE messages SET headers = ${headers}::json WHERE id = ${stored.id}`;
    const bare = await storedMessage({ ownerCheckedAt: new Date() });
    const p = {
      headerNames: ['x-team', '__proto__', 'count', 'missing', 'constructor'],
      jsonPaths: ['$.a[0]', '$.a.list[0]', "$.a.list[1]['b c']", '$.n', '$.missing', '$.f', '$.num', '$.a.list', '$.a.list.length', '$.constructor', '$.__proto__.x'],
    };
    const fromDb = await loadRuleSubjects(prisma(), [stored.id, bare.id], p);
    const row = await prisma().message.findUniqueOrThrow({ where: { id: stored.id }, include: { search: true } });
    const inMemory = subjectOf({ ...row, bodyJson: row.search?.bodyJson ?? null }, p);
    expect(fromDb.get(stored.id)!.jsonValues).toEqual(inMemory.jsonValues);
    expect(fromDb.get(stored.id)!.headerValues).toEqual(inMemory.headerValues);
    expect(fromDb.get(stored.id)!.jsonValues.get('$.a[0]')).toBeUndefined();
    expect(fromDb.get(stored.id)!.jsonValues.get('$.n')).toEqual({ value: null });
    expect(fromDb.get(stored.id)!.jsonValues.get('$.missing')).toBeUndefined();
    expect(fromDb.get(stored.id)!.jsonValues.get('$.__proto__.x')).toEqual({ value: 1 });
    expect(fromDb.get(stored.id)!.headerValues.get('__proto__')).toEqual({ type: 'string', value: 'proto' });
    expect(fromDb.get(bare.id)!.jsonValues.get('$.a.list[0]')).toBeUndefined();
  });
});

describe('team scope by owner', () => {
  it('lets a team-scoped reader reach the messages a rule gave its team, and only those', async () => {
    await tagAll();
    const mine = await team('mine', 'mine.q');
    const other = await team('other', 'other.q');
    const owned = await storedMessage({ originQueue: 'nobody-owns-this', ownerTeamId: mine.id, ownerCheckedAt: new Date() });
    const foreign = await storedMessage({ originQueue: 'nobody-owns-this', ownerTeamId: other.id, ownerCheckedAt: new Date() });
    const reader: TActor = { kind: 'user', id: 'r', email: 'r@example.com', role: 'viewer', scope: { teamIds: [mine.id], origins: [], sources: [] } };
    await expect(getMessage({ actor: reader, id: owned.id.toString() })).resolves.toMatchObject({ id: owned.id.toString() });
    await expect(getMessage({ actor: reader, id: foreign.id.toString() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const listed = await findMessages({ actor: reader, query: ZFindMessagesQuery.parse({ origin: 'nobody-owns-this' }) });
    expect(listed.items.map((m) => m.id)).toEqual([owned.id.toString()]);
  });
});
