import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { parseSearchParams } from '../http/parse-search-params';
import { createTestDatabase } from '../testing/test-database';
import { ZAuditQuery } from './audit-query';
import { findAuditEvents } from './find-audit-events';
import { recordAuditEvent, type TAuditEventInput } from './record-audit-event';

const READER = { kind: 'user', id: 'u1', email: 'reader@example.com', role: 'auditor' } as const;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let billingId: string;

const events: TAuditEventInput[] = [
  ...Array.from({ length: 23 }, (_, i): TAuditEventInput => ({
    actor: i % 2 ? 'user:ana@example.com' : 'user:bo@example.com',
    action: i % 3 ? 'message.replay_requested' : 'message.edited',
    messageId: BigInt(100 + (i % 4)),
    reason: `reason ${i}`,
    target: 'queue orders',
  })),
  { actor: 'token:ci', action: 'dispatch.published', messageId: 100n, result: 'confirmed', before: { status: 'replaying' }, after: { status: 'replayed' } },
  { actor: 'user:100%_sure@example.com', action: 'message.discarded', messageId: 101n },
  { actor: 'system:cli (root@host)', action: 'source.added', subject: 'source:dlq' },
];

// Events about the messages of two teams' queues (billing owns origin billing.orders and
// source dlq.billing; identity owns origin identity.users), and about the teams themselves.
const queued: TAuditEventInput[] = [
  { actor: 'token:cy', action: 'message.replay_requested', messageId: 200n, sourceQueue: 'dlq.main', originQueue: 'billing.orders' },
  { actor: 'token:cy', action: 'message.sandbox_replay_requested', messageId: 201n, sourceQueue: 'dlq.billing', originQueue: 'other.q' },
  { actor: 'token:cy', action: 'message.redirect_requested', messageId: 202n, sourceQueue: 'dlq.main', originQueue: 'identity.users' },
  { actor: 'system:worker', action: 'dispatch.failed', messageId: 200n, sourceQueue: 'dlq.main', originQueue: 'billing.orders', result: 'returned: NO_ROUTE' },
  { actor: 'token:admin', action: 'team.updated', subject: 'team:billing' },
  { actor: 'token:admin', action: 'user.created', subject: 'user:new@example.com' },
  { actor: 'token:admin', action: 'approval.rejected', subject: 'approval:1' },
];
const TOTAL = events.length + queued.length + 1; // + one event dated ten days ago

beforeAll(async () => {
  db = await createTestDatabase('audit');
  for (const event of [...events, ...queued]) await prisma().$transaction((tx) => recordAuditEvent(tx, event));
  // Written directly to date it: the chain trigger sets id and hashes, not the time.
  await prisma().auditEvent.create({
    data: { actor: 'token:cy', action: 'message.replay_requested', messageId: 203n, sourceQueue: 'dlq.billing', outcome: 'pending', at: new Date(Date.now() - 10 * 86_400_000) },
  });
  const billing = await prisma().team.create({ data: { name: 'billing', queue: 'billing.in' } });
  const identity = await prisma().team.create({ data: { name: 'identity', queue: 'identity.in' } });
  billingId = billing.id;
  await prisma().teamOwnership.createMany({
    data: [
      { kind: 'origin', queue: 'billing.orders', teamId: billing.id },
      { kind: 'source', queue: 'dlq.billing', teamId: billing.id },
      { kind: 'origin', queue: 'identity.users', teamId: identity.id },
    ],
  });
});
afterAll(async () => db?.drop());

const ids = async (filters: Parameters<typeof findAuditEvents>[0]['filters'], actor: TActor = READER) =>
  (await findAuditEvents({ actor, filters, limit: 200 })).items.map((e) => `${e.actor} ${e.action} ${e.messageId ?? e.subject}`);
const count = async (filters: Parameters<typeof findAuditEvents>[0]['filters']) => (await ids(filters)).length;

describe('findAuditEvents', () => {
  it('pages newest first over the cursor, returning every event exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await findAuditEvents({ actor: READER, cursor, limit: 5 });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(TOTAL / 5));
    expect(seen).toHaveLength(TOTAL);
    expect(new Set(seen).size).toBe(TOTAL);
    expect(seen.map(BigInt)).toEqual([...seen.map(BigInt)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
  });

  it('maps rows to the API shape: ids as strings, outcome, queues and the chain hashes in hex', async () => {
    const { items } = await findAuditEvents({ actor: READER, filters: { action: 'dispatch.published' } });
    expect(items).toEqual([
      expect.objectContaining({
        actor: 'token:ci', action: 'dispatch.published', messageId: '100', result: 'confirmed', outcome: 'succeeded',
        before: { status: 'replaying' }, after: { status: 'replayed' }, reason: null, target: null, sourceQueue: null, originQueue: null,
      }),
    ]);
    expect(items[0]!.id).toMatch(/^\d+$/);
    expect(items[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(items[0]!.prevHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(items[0]!.at)).not.toBeNaN();
    const [newer, older] = (await findAuditEvents({ actor: READER, limit: 2 })).items;
    expect(newer!.prevHash).toBe(older!.hash);
  });

  it('filters by exact actor, actor prefix (wildcards taken literally), action, message and time', async () => {
    expect(await count({ actor: 'user:ana@example.com' })).toBe(11);
    expect(await count({ actor: 'user:ana' })).toBe(0);
    expect(await count({ actor: 'user:*' })).toBe(24);
    expect(await count({ actor: 'user:100%_*' })).toBe(1);
    expect(await count({ actor: 'user:1%*' })).toBe(0);
    expect(await count({ action: 'message.edited' })).toBe(8);
    expect(await count({ messageId: '101' })).toBe(7);
    expect(await count({ messageId: '101', action: 'message.discarded' })).toBe(1);
    const future = new Date(Date.now() + 60_000);
    expect(await count({ from: future })).toBe(0);
    expect(await count({ to: future.toISOString() })).toBe(TOTAL);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000);
    expect(await count({ to: weekAgo })).toBe(1);
    expect(await ids({ actor: 'token:cy', from: weekAgo.toISOString() })).not.toContain('token:cy message.replay_requested 203');
  });

  it('filters by action group: "all replays by X last week"', async () => {
    const weekAgo = new Date(Date.now() - 7 * 86_400_000);
    expect(await ids({ actor: 'token:cy', action: 'replays', from: weekAgo })).toEqual([
      'token:cy message.sandbox_replay_requested 201',
      'token:cy message.replay_requested 200',
    ]);
    expect(await count({ action: 'replays' })).toBe(15 + 3);
    expect(await count({ action: 'redirects' })).toBe(1);
    expect(await count({ action: 'discards' })).toBe(1);
    expect(await count({ action: 'edits' })).toBe(8);
    expect(await count({ action: 'publishes' })).toBe(2);
    expect(await ids({ action: 'access' })).toEqual(['token:admin user.created user:new@example.com']);
    expect(await ids({ action: 'approvals' })).toEqual(['token:admin approval.rejected approval:1']);
  });

  it('filters by source, origin and outcome', async () => {
    expect(await count({ source: 'dlq.main' })).toBe(3);
    expect(await ids({ origin: 'billing.orders' })).toEqual(['system:worker dispatch.failed 200', 'token:cy message.replay_requested 200']);
    expect(await ids({ outcome: 'failed' })).toEqual(['system:worker dispatch.failed 200']);
    expect(await ids({ outcome: 'rejected' })).toEqual(['token:admin approval.rejected approval:1']);
    expect(await count({ outcome: 'pending', source: 'dlq.billing' })).toBe(2);
  });

  it('filters by team, by name or id: the events of the queues it owns and about the team itself', async () => {
    const billing = [
      'token:admin team.updated team:billing',
      'system:worker dispatch.failed 200',
      'token:cy message.sandbox_replay_requested 201',
      'token:cy message.replay_requested 200',
      'token:cy message.replay_requested 203',
    ];
    expect((await ids({ team: 'billing' })).sort()).toEqual([...billing].sort());
    expect((await ids({ team: billingId.toUpperCase() })).sort()).toEqual([...billing].sort());
    expect(await ids({ team: 'identity' })).toEqual(['token:cy message.redirect_requested 202']);
    expect(await ids({ team: 'billing', action: 'replays', outcome: 'pending', from: new Date(Date.now() - 86_400_000) })).toEqual([
      'token:cy message.sandbox_replay_requested 201',
      'token:cy message.replay_requested 200',
    ]);
    await expect(findAuditEvents({ actor: READER, filters: { team: 'payments' } })).rejects.toMatchObject({
      code: 'INVALID_INPUT', message: expect.stringContaining('"team"'),
    });
  });

  it('shows a team-scoped reader only the events about messages of its teams’ queues', async () => {
    const scoped: TActor = { ...READER, scope: { teamIds: [billingId], origins: ['billing.orders'], sources: ['dlq.billing'] } };
    expect((await ids({}, scoped)).sort()).toEqual([
      'system:worker dispatch.failed 200',
      'token:cy message.replay_requested 200',
      'token:cy message.replay_requested 203',
      'token:cy message.sandbox_replay_requested 201',
    ]);
    // Naming another team's queue, or the team itself, widens nothing.
    expect(await ids({ origin: 'identity.users' }, scoped)).toEqual([]);
    expect(await ids({ team: 'billing', action: 'configuration' }, scoped)).toEqual([]);
    const nobody: TActor = { ...READER, scope: { teamIds: [], origins: [], sources: [] } };
    expect(await ids({}, nobody)).toEqual([]);
  });

  it('needs audit:read', async () => {
    await expect(findAuditEvents({ actor: { ...READER, role: 'operator' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses invalid filters and cursors with INVALID_INPUT naming the parameter, at the URL and in the domain', async () => {
    const parse = (query: string) => parseSearchParams(ZAuditQuery, new URLSearchParams(query));
    expect(parse('actor=user:*&limit=10')).toMatchObject({ actor: 'user:*', limit: 10 });
    expect(parse('action=replays&outcome=failed&team=billing&source=dlq&origin=orders')).toMatchObject({ action: 'replays', outcome: 'failed', team: 'billing' });
    const cases: [string, string][] = [
      ['messageId=abc', 'messageId'], ['from=yesterday', 'from'], ['from=2026-02-01&to=2026-01-01', 'from'], ['action=DROP TABLE', 'action'],
      ['action=message.exploded', 'action'], ['action=replay', 'action'], ['outcome=done', 'outcome'], ['team=a%00b', 'team'],
      ['source=' + 'q'.repeat(256), 'source'], ['origin=a%0Ab', 'origin'], ['limit=500', 'limit'], ['colour=red', 'colour'], ['cursor=%25%25', 'cursor'],
    ];
    for (const [query, name] of cases) {
      expect(() => parse(query), query).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(`"${name}"`) }));
    }
    expect(() => parse('action=replay')).toThrow(/group: replays, redirects/);
    expect(() => parse('outcome=done')).toThrow(/succeeded, failed, pending, rejected/);
    await expect(findAuditEvents({ actor: READER, filters: { messageId: '-1' } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"messageId"') });
    await expect(findAuditEvents({ actor: READER, filters: { actor: 'a\u0000b' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(findAuditEvents({ actor: READER, filters: { outcome: 'won' } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"outcome"') });
    await expect(findAuditEvents({ actor: READER, cursor: Buffer.from('m12').toString('base64url') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
