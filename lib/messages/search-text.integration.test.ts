import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { storeDeadLetters } from '../ingest/store-dead-letters';
import { toDeadLetterRow, type TDelivery } from '../ingest/to-dead-letter-row';
import { createTestDatabase } from '../testing/test-database';
import { findMessages } from './find-messages';
import { MAX_SEARCH_TEXT_CHARS } from './search-text';

// The searchable text ingest stores, and who search lets find it, on a real PostgreSQL.

let db: Awaited<ReturnType<typeof createTestDatabase>>;

const admin: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', email: 'admin@example.com', role: 'admin' };

function delivery(messageId: string, headers: Record<string, unknown>, body = '{"note":"plain"}'): TDelivery {
  return {
    sourceQueue: 'text.dlq',
    content: Buffer.from(body),
    fields: { exchange: 'dlx', routingKey: 'orders.created' },
    properties: { messageId, contentType: 'application/json', headers: { 'x-death': [{ queue: 'orders', reason: 'rejected', count: 1 }], ...headers } },
  };
}

const row = (d: TDelivery) => toDeadLetterRow(d, 64 * 1024);

beforeAll(async () => {
  db = await createTestDatabase('search_text');
});

afterAll(async () => {
  await db?.drop();
});

describe('the searchable text', () => {
  it('is cut on a character boundary, so a message whose cut falls inside an emoji keeps its headers and origin', async () => {
    // Where the header value starts in the text, then a value whose emoji straddles the cut.
    const probe = row(delivery('emoji-cut', { 'x-pad': 'probe' })).searchText;
    const start = probe.indexOf('x-pad probe') + 'x-pad '.length;
    const value = 'a'.repeat(MAX_SEARCH_TEXT_CHARS - 1 - start) + '😀'.repeat(10);
    const cut = row(delivery('emoji-cut', { 'x-pad': value, 'x-tenant': 'acme' }));
    await storeDeadLetters([cut]);
    const stored = await prisma().message.findFirstOrThrow({ where: { messageId: 'emoji-cut' } });
    expect(stored.originQueue).toBe('orders');
    expect((stored.headers as Record<string, unknown>)['x-tenant']).toEqual({ type: 'string', value: 'acme' });
    expect(stored.xDeath).toHaveLength(1);
    expect(Buffer.from(cut.searchText, 'utf8').toString('utf8')).toBe(cut.searchText); // no lone surrogate
    expect(cut.searchText.length).toBe(MAX_SEARCH_TEXT_CHARS - 1);
  });
});

describe('team scope in search', () => {
  it('finds, by words and by JSON path, the messages an ownership rule gave to the reader\'s team', async () => {
    await storeDeadLetters([
      row(delivery('owned-by-rule', {}, '{"region":"uk","note":"parcel lost"}')),
      row(delivery('not-owned', {}, '{"region":"uk","note":"parcel lost"}')),
    ]);
    const team = await prisma().team.create({ data: { name: 'support', queue: 'support.inbox' } });
    await prisma().message.updateMany({ where: { messageId: 'owned-by-rule' }, data: { ownerTeamId: team.id } });
    const scoped: TActor = {
      kind: 'user', id: '00000000-0000-4000-8000-000000000002', email: 'lead@example.com', role: 'operator',
      scope: { teamIds: [team.id], origins: [], sources: [] },
    };
    const find = async (filters: { q?: string; path?: string }, actor: TActor) =>
      (await findMessages({ actor, query: { ...filters, limit: 50 } })).items.map((m) => m.messageId).sort();

    expect(await find({ q: 'parcel' }, scoped)).toEqual(['owned-by-rule']);
    expect(await find({ path: '$.region = "uk"' }, scoped)).toEqual(['owned-by-rule']);
    expect(await find({ q: 'parcel' }, admin)).toEqual(['not-owned', 'owned-by-rule']);
  });
});
