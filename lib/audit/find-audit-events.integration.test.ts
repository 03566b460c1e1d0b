import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { parseSearchParams } from '../http/parse-search-params';
import { createTestDatabase } from '../testing/test-database';
import { ZAuditQuery } from './audit-query';
import { findAuditEvents } from './find-audit-events';
import { recordAuditEvent, type TAuditEventInput } from './record-audit-event';

const READER = { kind: 'user', id: 'u1', email: 'reader@example.com', role: 'auditor' } as const;
let db: Awaited<ReturnType<typeof createTestDatabase>>;

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

beforeAll(async () => {
  db = await createTestDatabase('audit');
  for (const event of events) await prisma().$transaction((tx) => recordAuditEvent(tx, event));
});
afterAll(async () => db?.drop());

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
    expect(pages).toBe(6);
    expect(seen).toHaveLength(events.length);
    expect(new Set(seen).size).toBe(events.length);
    expect(seen.map(BigInt)).toEqual([...seen.map(BigInt)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
  });

  it('maps rows to the API shape, ids as strings', async () => {
    const { items } = await findAuditEvents({ actor: READER, filters: { action: 'dispatch.published' } });
    expect(items).toEqual([
      expect.objectContaining({
        actor: 'token:ci', action: 'dispatch.published', messageId: '100', result: 'confirmed',
        before: { status: 'replaying' }, after: { status: 'replayed' }, reason: null, target: null,
      }),
    ]);
    expect(items[0]!.id).toMatch(/^\d+$/);
    expect(Date.parse(items[0]!.at)).not.toBeNaN();
  });

  it('filters by exact actor, actor prefix (wildcards taken literally), action, message and time', async () => {
    const count = async (filters: Parameters<typeof findAuditEvents>[0]['filters']) => (await findAuditEvents({ actor: READER, filters, limit: 200 })).items.length;
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
    expect(await count({ to: future.toISOString() })).toBe(events.length);
  });

  it('refuses invalid filters and cursors with INVALID_INPUT, at the URL and in the domain', async () => {
    const parse = (query: string) => parseSearchParams(ZAuditQuery, new URLSearchParams(query));
    expect(parse('actor=user:*&limit=10')).toMatchObject({ actor: 'user:*', limit: 10 });
    for (const query of ['messageId=abc', 'from=yesterday', 'from=2026-02-01&to=2026-01-01', 'action=DROP TABLE', 'limit=500', 'colour=red', 'cursor=%25%25']) {
      expect(() => parse(query), query).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    await expect(findAuditEvents({ actor: READER, filters: { messageId: '-1' } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"messageId"') });
    await expect(findAuditEvents({ actor: READER, filters: { actor: 'a\u0000b' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(findAuditEvents({ actor: READER, cursor: Buffer.from('m12').toString('base64url') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
