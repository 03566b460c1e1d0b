import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { getAuditEvent } from './get-audit-event';
import { loadAuditRedactor } from './load-audit-redactor';
import { recordAuditEvent, type TAuditEventInput } from './record-audit-event';

const AUDITOR = { kind: 'user', id: 'u1', email: 'auditor@example.com', role: 'auditor' } as const;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const ids: Record<string, string> = {};
let messageId: bigint;
let dispatchId: string;

async function record(name: string, event: TAuditEventInput) {
  await prisma().$transaction((tx) => recordAuditEvent(tx, event));
  ids[name] = (await prisma().auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })).id.toString();
}

beforeAll(async () => {
  db = await createTestDatabase('auditevent');
  const m = await prisma().message.create({
    data: {
      sourceQueue: 'dlq', fingerprint: Uint8Array.from([1]), originQueue: 'orders', reason: 'rejected', routingKeys: ['orders'], deathCount: 1,
      size: 2, isLarge: false, body: Uint8Array.from(Buffer.from('{}')), properties: {}, headers: {}, xDeath: [], deliveryExchange: '',
      deliveryRoutingKey: 'dlq',
    },
  });
  messageId = m.id;
  const revision = await prisma().messageRevision.create({ data: { messageId, number: 1, body: Buffer.from('{"a":1}'), size: 7, headers: {}, author: 'user:op@example.com' } });
  dispatchId = randomUUID();
  await prisma().dispatch.create({
    data: { id: dispatchId, actionId: randomUUID(), messageId, kind: 'replay', revisionId: revision.id, exchange: '', routingKey: 'orders', replayCount: 1, actor: 'user:op@example.com', state: 'published', attempts: 1 },
  });
  // The shapes edit-message.ts, replay-message.ts and record-dispatch-outcomes.ts write.
  await record('edited', { actor: 'user:op@example.com', action: 'message.edited', messageId, before: { revision: 0 }, after: { status: 'edited', revision: 1, revisionId: revision.id.toString() } });
  await record('replay', { actor: 'user:op@example.com', action: 'message.replay_requested', messageId, target: 'queue orders', after: { status: 'replaying', revision: 1, dispatchIds: [dispatchId] } });
  await record('published', { actor: 'system:worker', action: 'dispatch.published', messageId, subject: `dispatch:${dispatchId}`, after: { dispatchId, state: 'published' } });
  await record('gone', { actor: 'user:op@example.com', action: 'message.edited', messageId: 999n, sourceQueue: 'dlq', after: { revision: 2 } });
  await record('team', { actor: 'token:admin', action: 'team.created', subject: 'team:billing', after: { name: 'billing' } });
});
afterAll(async () => db?.drop());

describe('getAuditEvent', () => {
  it('links an edit to the revision it saved, in the UI and the API', async () => {
    const event = await getAuditEvent({ actor: AUDITOR, id: ids.edited! });
    expect(event).toMatchObject({ id: ids.edited, action: 'message.edited', messageId: String(messageId), sourceQueue: 'dlq', originQueue: 'orders', outcome: 'succeeded', dispatches: [] });
    expect(event.revision).toEqual({
      messageId: String(messageId), number: 1, exists: true,
      href: `/messages/${messageId}?revision=1`, apiHref: `/api/v1/messages/${messageId}/revisions/1`,
    });
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('links a replay request and a publish outcome to the bytes sent, with the dispatch as it stands now', async () => {
    const replay = await getAuditEvent({ actor: AUDITOR, id: ids.replay! });
    expect(replay.revision).toMatchObject({ number: 1, exists: true });
    expect(replay.dispatches).toEqual([expect.objectContaining({ id: dispatchId, kind: 'replay', state: 'published', revision: 1, routingKey: 'orders' })]);
    expect(replay.prevHash).toBe((await getAuditEvent({ actor: AUDITOR, id: ids.edited! })).hash);
    const published = await getAuditEvent({ actor: AUDITOR, id: ids.published! });
    expect(published.revision).toMatchObject({ number: 1, href: `/messages/${messageId}?revision=1` });
    expect(published.dispatches.map((d) => d.id)).toEqual([dispatchId]);
  });

  it('says when the bytes are gone, and links nothing for events not about a message', async () => {
    expect((await getAuditEvent({ actor: AUDITOR, id: ids.gone! })).revision).toMatchObject({ number: 2, exists: false });
    expect(await getAuditEvent({ actor: AUDITOR, id: ids.team! })).toMatchObject({ subject: 'team:billing', revision: null, dispatches: [] });
  });

  it('masks what redaction rules cover for readers without messages:read-sensitive, and only for them', async () => {
    const edit = {
      action: 'message.edited',
      before: { revision: 0 },
      after: { revision: 1, headers: { added: [], removed: [], changed: ['authorization', 'x-tenant'], values: { authorization: { before: { type: 'string', value: 'Bearer old' }, after: { type: 'string', value: 'Bearer new' } }, 'x-tenant': { after: { type: 'string', value: 'acme' } } } } },
    };
    const viewer: TActor = { ...AUDITOR, role: 'viewer' };
    expect((await loadAuditRedactor({ actor: viewer }))(edit)).toEqual({ before: edit.before, after: edit.after, redacted: false }); // no rule yet
    await prisma().redactionRule.create({ data: { id: randomUUID(), kind: 'header', pattern: 'Authorization', createdBy: 'test' } });
    const masked = (await loadAuditRedactor({ actor: viewer }))(edit);
    expect(masked.redacted).toBe(true);
    expect(JSON.stringify(masked)).not.toContain('Bearer');
    expect(JSON.stringify(masked)).toContain('acme');
    expect((await loadAuditRedactor({ actor: AUDITOR }))(edit)).toEqual({ before: edit.before, after: edit.after, redacted: false });
    expect((await getAuditEvent({ actor: AUDITOR, id: ids.edited! })).redacted).toBe(false);
  });

  it('answers NOT_FOUND for unknown ids and for events outside a team-scoped reader’s queues', async () => {
    for (const id of ['999999', 'abc', '-1', '0']) {
      await expect(getAuditEvent({ actor: AUDITOR, id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    const scoped: TActor = { ...AUDITOR, scope: { teamIds: ['t'], origins: ['orders'], sources: [] } };
    expect((await getAuditEvent({ actor: scoped, id: ids.replay! })).id).toBe(ids.replay);
    await expect(getAuditEvent({ actor: scoped, id: ids.team! })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getAuditEvent({ actor: scoped, id: ids.gone! })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getAuditEvent({ actor: { ...AUDITOR, role: 'operator' }, id: ids.edited! })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
