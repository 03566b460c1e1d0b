import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { addSource } from './add-source';
import { removeSource } from './remove-source';
import { setSourceProtected } from './set-source-protected';
import { updateSource } from './update-source';

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };
const SUPPORT: TActor = { kind: 'user', id: 's', email: 'lead@example.com', role: 'support_lead' };
const OPERATOR: TActor = { kind: 'user', id: 'o', email: 'op@example.com', role: 'operator' };
/** An admin limited to one team: it may not change the sources every team's messages arrive on. */
const SCOPED_ADMIN: TActor = {
  kind: 'token', id: 't', name: 'team-a-admin', role: 'admin', scope: { teamIds: ['00000000-0000-4000-8000-00000000000a'], origins: ['a.work'], sources: ['scoped.dlq'] },
};

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('sources'); });
afterAll(async () => db?.drop());

const state = async () => ({ sources: await prisma().source.findMany({ orderBy: { queue: 'asc' } }), audit: await prisma().auditEvent.count() });

describe('addSource', () => {
  it('adds one source, and answers CONFLICT for a source already there or a bad name, changing nothing', async () => {
    await expect(addSource({ actor: ADMIN, queue: ' orders.dlq ' })).resolves.toEqual({ queue: 'orders.dlq' });
    const before = await state();
    await expect(addSource({ actor: ADMIN, queue: 'orders.dlq' })).rejects.toMatchObject({ code: 'CONFLICT', message: '"orders.dlq" is a source already' });
    await expect(addSource({ actor: ADMIN, queue: 'q'.repeat(256) })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'queue name is longer than 255 bytes' });
    await expect(addSource({ actor: OPERATOR, queue: 'other.dlq' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await state()).toEqual(before);
  });
});

describe('setSourceProtected', () => {
  it('protects and unprotects, recording before and after; setting what is set records nothing', async () => {
    await expect(setSourceProtected({ actor: ADMIN, queue: 'orders.dlq', protected: true })).resolves.toEqual({ queue: 'orders.dlq', protected: true });
    expect(await prisma().source.findUniqueOrThrow({ where: { queue: 'orders.dlq' } })).toMatchObject({ protected: true });
    const before = await state();
    await setSourceProtected({ actor: ADMIN, queue: 'orders.dlq', protected: true });
    expect(await state()).toEqual(before);
    await setSourceProtected({ actor: ADMIN, queue: 'orders.dlq', protected: false });
    const events = await prisma().auditEvent.findMany({ where: { action: 'source.updated' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.actor, e.subject, e.before, e.after, e.sourceQueue])).toEqual([
      ['user:admin@example.com', 'source:orders.dlq', { queue: 'orders.dlq', protected: false }, { queue: 'orders.dlq', protected: true }, 'orders.dlq'],
      ['user:admin@example.com', 'source:orders.dlq', { queue: 'orders.dlq', protected: true }, { queue: 'orders.dlq', protected: false }, 'orders.dlq'],
    ]);
  });

  it('refuses an unknown source, a non-boolean and a role without sources:manage, changing nothing', async () => {
    const before = await state();
    await expect(setSourceProtected({ actor: ADMIN, queue: 'nope.dlq', protected: true })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No source named "nope.dlq"' });
    await expect(setSourceProtected({ actor: ADMIN, queue: 'orders.dlq', protected: 'yes' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'protected must be true or false' });
    for (const actor of [SUPPORT, OPERATOR]) {
      await expect(setSourceProtected({ actor, queue: 'orders.dlq', protected: true })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('sources:manage') });
    }
    expect(await state()).toEqual(before);
  });
});

describe('updateSource', () => {
  it('turns auto-redirect and unmatched-to-every-team on and off, recording only what changed', async () => {
    await addSource({ actor: ADMIN, queue: 'auto.dlq' });
    await expect(updateSource({ actor: ADMIN, queue: 'auto.dlq', changes: { autoRedirect: true, unmatchedToAllTeams: true, protected: false } }))
      .resolves.toEqual({ queue: 'auto.dlq', protected: false, autoRedirect: true, unmatchedToAllTeams: true });
    const before = await state();
    await updateSource({ actor: ADMIN, queue: 'auto.dlq', changes: { autoRedirect: true } });
    expect(await state()).toEqual(before);
    await updateSource({ actor: ADMIN, queue: 'auto.dlq', changes: { unmatchedToAllTeams: false } });
    const events = await prisma().auditEvent.findMany({ where: { action: 'source.updated', subject: 'source:auto.dlq' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.before, e.after])).toEqual([
      [{ queue: 'auto.dlq', autoRedirect: false, unmatchedToAllTeams: false }, { queue: 'auto.dlq', autoRedirect: true, unmatchedToAllTeams: true }],
      [{ queue: 'auto.dlq', unmatchedToAllTeams: true }, { queue: 'auto.dlq', unmatchedToAllTeams: false }],
    ]);
    expect(await prisma().source.findUniqueOrThrow({ where: { queue: 'auto.dlq' } })).toMatchObject({ autoRedirect: true, unmatchedToAllTeams: false });
  });

  it('refuses an empty change, a non-boolean, an unknown field and a role without sources:manage, changing nothing', async () => {
    const before = await state();
    await expect(updateSource({ actor: ADMIN, queue: 'auto.dlq', changes: {} })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('nothing to change') });
    await expect(updateSource({ actor: ADMIN, queue: 'auto.dlq', changes: { autoRedirect: 'on' as never } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'autoRedirect must be true or false' });
    await expect(updateSource({ actor: ADMIN, queue: 'auto.dlq', changes: { paused: true } as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(updateSource({ actor: SUPPORT, queue: 'auto.dlq', changes: { autoRedirect: false } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(updateSource({ actor: ADMIN, queue: 'nope.dlq', changes: { autoRedirect: true } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await state()).toEqual(before);
  });

  it('refuses every source change by a team-scoped admin, even on a source its team owns, changing nothing', async () => {
    await addSource({ actor: ADMIN, queue: 'scoped.dlq' });
    await setSourceProtected({ actor: ADMIN, queue: 'scoped.dlq', protected: true });
    const before = await state();
    const forbidden = { code: 'FORBIDDEN', message: expect.stringContaining('limited to its teams cannot add, remove or change sources') };
    await expect(updateSource({ actor: SCOPED_ADMIN, queue: 'scoped.dlq', changes: { protected: false } })).rejects.toMatchObject(forbidden);
    await expect(updateSource({ actor: SCOPED_ADMIN, queue: 'auto.dlq', changes: { autoRedirect: false } })).rejects.toMatchObject(forbidden);
    await expect(setSourceProtected({ actor: SCOPED_ADMIN, queue: 'scoped.dlq', protected: false })).rejects.toMatchObject(forbidden);
    await expect(addSource({ actor: SCOPED_ADMIN, queue: 'other.dlq' })).rejects.toMatchObject(forbidden);
    await expect(removeSource({ actor: SCOPED_ADMIN, queue: 'scoped.dlq' })).rejects.toMatchObject(forbidden);
    expect(await state()).toEqual(before);
  });
});
