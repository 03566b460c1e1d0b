import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { createApiToken } from './create-api-token';
import { listApiTokens } from './list-api-tokens';
import { resolveApiToken } from './resolve-api-token';
import { revokeApiToken } from './revoke-api-token';

const ADMIN: TActor = { kind: 'user', id: '00000000-0000-4000-8000-00000000000a', email: 'admin@example.com', role: 'admin' };
const OPERATOR: TActor = { kind: 'user', id: '00000000-0000-4000-8000-00000000000b', email: 'op@example.com', role: 'operator' };
const AUDITOR: TActor = { kind: 'user', id: '00000000-0000-4000-8000-00000000000c', email: 'audit@example.com', role: 'auditor' };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let billingId: string;
beforeAll(async () => {
  db = await createTestDatabase('tokens');
  const billing = await prisma().team.create({ data: { name: 'billing', queue: 'billing.fixes' } });
  billingId = billing.id;
  await prisma().teamOwnership.createMany({
    data: [{ kind: 'origin', queue: 'invoices', teamId: billing.id }, { kind: 'source', queue: 'billing.dlq', teamId: billing.id }],
  });
});
afterAll(async () => db?.drop());

const counts = async () => ({ tokens: await prisma().apiToken.count(), audit: await prisma().auditEvent.count() });

describe('createApiToken', () => {
  it('limits a token to a team named by name or id: it resolves with that team\'s queues as its scope', async () => {
    const byName = await createApiToken({ actor: ADMIN, name: 'billing-ci', role: 'operator', team: 'billing', expiresInDays: 7 });
    const byId = await createApiToken({ actor: ADMIN, name: 'billing-ci-2', role: 'viewer', team: billingId });
    expect(byName).toMatchObject({ name: 'billing-ci', role: 'operator', team: { id: billingId, name: 'billing' }, expired: false, revokedAt: null, token: expect.stringMatching(/^dlq_/) });
    expect(byId.team).toEqual({ id: billingId, name: 'billing' });

    const actor = await resolveApiToken(byName.token);
    expect(actor).toMatchObject({ kind: 'token', id: byName.id, role: 'operator', scope: { teamIds: [billingId], origins: ['invoices'], sources: ['billing.dlq'] } });
    const unscoped = await createApiToken({ actor: ADMIN, name: 'everything', role: 'viewer' });
    expect((await resolveApiToken(unscoped.token))?.scope).toBeNull();

    const event = await prisma().auditEvent.findFirstOrThrow({ where: { subject: `token:${byName.id}` } });
    expect(event).toMatchObject({ actor: 'user:admin@example.com', action: 'token.created' });
    expect(event.after).toEqual({ name: 'billing-ci', prefix: byName.prefix, role: 'operator', team: 'billing', expiresAt: byName.expiresAt });
    expect(JSON.stringify(event.after)).not.toContain(byName.token);
  });

  it.each([
    ['an unknown team', { name: 't', role: 'viewer', team: 'nobody' }, 'NOT_FOUND', /No team named "nobody"/],
    ['an unknown role', { name: 't', role: 'root' }, 'INVALID_INPUT', /role must be one of/],
    ['a zero expiry', { name: 't', role: 'viewer', expiresInDays: 0 }, 'INVALID_INPUT', /expires-in-days must be at least 1/],
    ['an empty name', { name: ' ', role: 'viewer' }, 'INVALID_INPUT', /name is empty/],
    ['an unknown field', { name: 't', role: 'viewer', scopes: ['all'] }, 'INVALID_INPUT', /scopes/],
  ])('refuses %s and creates nothing', async (_, input, code, message) => {
    const before = await counts();
    await expect(createApiToken({ actor: ADMIN, ...(input as object) } as Parameters<typeof createApiToken>[0])).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await counts()).toEqual(before);
  });

  it('refuses every role without tokens:manage, creating, listing and revoking nothing', async () => {
    const { id } = await prisma().apiToken.findFirstOrThrow({ where: { name: 'everything' } });
    const before = await counts();
    for (const actor of [OPERATOR, AUDITOR]) {
      await expect(createApiToken({ actor, name: 'x', role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('tokens:manage') });
      await expect(listApiTokens({ actor })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(revokeApiToken({ actor, id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await counts()).toEqual(before);
    expect((await prisma().apiToken.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
  });
});

describe('listApiTokens and revokeApiToken', () => {
  it('lists team, expiry, revocation and last use, never a secret or hash', async () => {
    const used = await createApiToken({ actor: ADMIN, name: 'used', role: 'viewer', team: 'billing' });
    await resolveApiToken(used.token);
    const old = await createApiToken({ actor: ADMIN, name: 'old', role: 'viewer', expiresInDays: 1 });
    await prisma().apiToken.update({ where: { id: old.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const tokens = await listApiTokens({ actor: ADMIN });
    expect(tokens.find((t) => t.id === used.id)).toMatchObject({ team: { name: 'billing' }, lastUsedAt: expect.any(String), expired: false, revokedAt: null });
    expect(tokens.find((t) => t.id === old.id)).toMatchObject({ team: null, lastUsedAt: null, expired: true });
    const hashes = await prisma().apiToken.findMany({ omit: { tokenHash: false } });
    const text = JSON.stringify(tokens);
    expect(text).not.toContain(used.token);
    for (const { tokenHash } of hashes) expect(text).not.toContain(tokenHash);
  });

  it('revokes once: the token is refused at once; a repeat is an error, or with idempotent the same answer, recorded once', async () => {
    const created = await createApiToken({ actor: ADMIN, name: 'leaked', role: 'admin' });
    const revoked = await revokeApiToken({ actor: ADMIN, id: created.id, reason: 'pasted in a chat', idempotent: true });
    expect(revoked).toMatchObject({ id: created.id, revokedAt: expect.any(String), alreadyRevoked: false });
    expect(await resolveApiToken(created.token)).toBeNull();

    await expect(revokeApiToken({ actor: ADMIN, id: created.id, idempotent: true })).resolves.toMatchObject({ revokedAt: revoked.revokedAt, alreadyRevoked: true });
    await expect(revokeApiToken({ actor: ADMIN, idOrName: created.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already revoked/) });
    await expect(revokeApiToken({ actor: ADMIN, idOrName: 'leaked' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(revokeApiToken({ actor: ADMIN, id: 'leaked' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const events = await prisma().auditEvent.findMany({ where: { subject: `token:${created.id}`, action: 'token.revoked' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'pasted in a chat', before: expect.objectContaining({ name: 'leaked', role: 'admin' }) });

    // Two revokes at once: one records, the other answers the same.
    const racer = await createApiToken({ actor: ADMIN, name: 'racer', role: 'viewer' });
    const both = await Promise.all([1, 2].map(() => revokeApiToken({ actor: ADMIN, id: racer.id, idempotent: true })));
    expect(both.map((r) => r.alreadyRevoked).sort()).toEqual([false, true]);
    expect(await prisma().auditEvent.count({ where: { subject: `token:${racer.id}`, action: 'token.revoked' } })).toBe(1);
  });
});
