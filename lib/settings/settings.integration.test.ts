import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { getSettings } from './get-settings';
import { updateSettings } from './update-settings';

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };
const VIEWER: TActor = { kind: 'user', id: 'v', email: 'viewer@example.com', role: 'viewer' };
const SUPPORT: TActor = { kind: 'user', id: 's', email: 'lead@example.com', role: 'support_lead' };
const AUDITOR: TActor = { kind: 'user', id: 'u', email: 'audit@example.com', role: 'auditor' };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('settings'); });
afterAll(async () => db?.drop());

const state = async () => ({ settings: await prisma().settings.findMany(), audit: await prisma().auditEvent.count() });

describe('settings', () => {
  it('starts with an approval threshold of 100, readable by anyone who reads messages', async () => {
    for (const actor of [VIEWER, AUDITOR, ADMIN]) {
      await expect(getSettings({ actor })).resolves.toMatchObject({ approvalThreshold: 100, updatedBy: null });
    }
  });

  it('lets an admin change the threshold, recording before and after; the same value again records nothing', async () => {
    const updated = await updateSettings({ actor: ADMIN, changes: { approvalThreshold: 25 } });
    expect(updated).toMatchObject({ approvalThreshold: 25, updatedBy: 'user:admin@example.com' });
    expect(await getSettings({ actor: VIEWER })).toMatchObject({ approvalThreshold: 25 });
    const event = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'settings.updated' } });
    expect(event).toMatchObject({ actor: 'user:admin@example.com', subject: 'settings', before: { approvalThreshold: 100 }, after: { approvalThreshold: 25 } });

    const before = await state();
    await expect(updateSettings({ actor: ADMIN, changes: { approvalThreshold: 25 } })).resolves.toMatchObject({ approvalThreshold: 25 });
    expect(await state()).toEqual(before);
  });

  it.each([
    ['zero', { approvalThreshold: 0 }, /approvalThreshold must be at least 1/],
    ['a fraction', { approvalThreshold: 1.5 }, /approvalThreshold must be a whole number/],
    ['text', { approvalThreshold: '10' }, /approvalThreshold must be a number/],
    ['too many', { approvalThreshold: 1_000_001 }, /at most 1000000/],
    ['nothing', {}, /nothing to change/],
    ['an unknown setting', { approvalThreshold: 5, retentionDays: 30 }, /retentionDays/],
  ])('refuses %s and changes nothing', async (_, changes, message) => {
    const before = await state();
    await expect(updateSettings({ actor: ADMIN, changes: changes as never })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    expect(await state()).toEqual(before);
  });

  it('refuses every role without settings:manage', async () => {
    const before = await state();
    for (const actor of [VIEWER, SUPPORT, AUDITOR]) {
      await expect(updateSettings({ actor, changes: { approvalThreshold: 1 } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('settings:manage') });
    }
    expect(await state()).toEqual(before);
  });

  it('serialises concurrent changes: each records the value the other left as its before', async () => {
    await Promise.all([updateSettings({ actor: ADMIN, changes: { approvalThreshold: 7 } }), updateSettings({ actor: ADMIN, changes: { approvalThreshold: 8 } })]);
    const events = await prisma().auditEvent.findMany({ where: { action: 'settings.updated' }, orderBy: { id: 'desc' }, take: 2 });
    const [last, first] = events as [(typeof events)[0], (typeof events)[0]];
    expect(first.before).toEqual({ approvalThreshold: 25 });
    expect(last.before).toEqual(first.after);
    expect((await getSettings({ actor: ADMIN })).approvalThreshold).toBe((last.after as { approvalThreshold: number }).approvalThreshold);
  });
});
