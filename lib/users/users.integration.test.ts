import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { authenticateUser, findActiveUser } from './authenticate-user';
import { createUser } from './create-user';
import { disableUser } from './disable-user';
import { enableUser } from './enable-user';
import { getUser } from './get-user';
import { listUsers } from './list-users';
import { revokeUserSessions } from './revoke-user-sessions';
import { setUserPassword } from './set-user-password';
import { updateUser } from './update-user';

const SYSTEM = { kind: 'system', name: 'cli' } as const;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('users'); });
afterAll(async () => db?.drop());

it('answers CONFLICT to both losers of concurrent creates with the same email', async () => {
  const attempts = await Promise.allSettled(
    Array.from({ length: 4 }, () => createUser({ actor: SYSTEM, email: 'race@example.com', password: 'long enough password', role: 'viewer' })),
  );
  expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  for (const a of attempts.filter((x) => x.status === 'rejected')) {
    expect((a as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
  }
  expect(await prisma().user.count({ where: { email: 'race@example.com' } })).toBe(1);
  expect(await prisma().auditEvent.count({ where: { action: 'user.created' } })).toBe(1);
});

it('signs in by email in any case, refuses wrong passwords, disabled users and corrupt hashes', async () => {
  await createUser({ actor: SYSTEM, email: 'Case@Example.com', password: 'correct horse battery', role: 'operator' });
  expect(await authenticateUser({ email: 'CASE@example.COM ', password: 'correct horse battery' })).toMatchObject({ email: 'case@example.com', role: 'operator' });
  expect(await authenticateUser({ email: 'case@example.com', password: 'wrong horse battery' })).toBeNull();
  expect(await authenticateUser({ email: 'nobody@example.com', password: 'correct horse battery' })).toBeNull();
  await prisma().user.update({ where: { email: 'case@example.com' }, data: { passwordHash: 'scrypt$3$8$1$c2FsdA==$aGFzaA==' } });
  expect(await authenticateUser({ email: 'case@example.com', password: 'correct horse battery' })).toBeNull();
  await createUser({ actor: SYSTEM, email: 'gone@example.com', password: 'correct horse battery', role: 'viewer' });
  await prisma().user.update({ where: { email: 'gone@example.com' }, data: { disabledAt: new Date() } });
  expect(await authenticateUser({ email: 'gone@example.com', password: 'correct horse battery' })).toBeNull();
});

it('refuses a viewer acting as an admin', async () => {
  await expect(createUser({ actor: { kind: 'user', id: 'x', email: 'v@example.com', role: 'viewer' }, email: 'n@example.com', password: 'long enough password', role: 'admin' }))
    .rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(await prisma().user.count({ where: { email: 'n@example.com' } })).toBe(0);
});

// ---------------------------------------------------------------------------------------
// Administration: list, update, disable, enable, sign out everywhere, set a password.

const ADMIN = { kind: 'user', id: '00000000-0000-4000-8000-00000000000a', email: 'root@example.com', role: 'admin' } as const;
const AUDITOR = { kind: 'user', id: '00000000-0000-4000-8000-00000000000b', email: 'audit@example.com', role: 'auditor' } as const;
const OPERATOR = { kind: 'user', id: '00000000-0000-4000-8000-00000000000c', email: 'op@example.com', role: 'operator' } as const;
const SUPPORT = { kind: 'user', id: '00000000-0000-4000-8000-00000000000d', email: 'lead@example.com', role: 'support_lead' } as const;

const PASSWORD = 'correct horse battery';
const snapshot = async () => ({
  users: await prisma().user.findMany({ orderBy: { email: 'asc' }, include: { memberships: true }, omit: { passwordHash: false } }),
  audit: await prisma().auditEvent.count(),
});
const newUser = (email: string, role: 'viewer' | 'operator' | 'admin' = 'viewer', extra: { teams?: string[]; teamScoped?: boolean } = {}) =>
  createUser({ actor: SYSTEM, email, password: PASSWORD, role, ...extra });
const lastEvent = (userId: string) => prisma().auditEvent.findFirstOrThrow({ where: { subject: `user:${userId}` }, orderBy: { id: 'desc' } });

describe('createUser with teams, and listUsers', () => {
  it('creates a team-scoped user in teams named by name or id, and audits who they are', async () => {
    const billing = await prisma().team.create({ data: { name: 'u-billing', queue: 'q' } });
    await prisma().team.create({ data: { name: 'u-orders', queue: 'q' } });
    const user = await createUser({ actor: ADMIN, email: 'Scoped@Example.com', password: PASSWORD, role: 'operator', name: ' Sam ', teams: ['u-orders', billing.id], teamScoped: true });
    expect(user).toMatchObject({
      email: 'scoped@example.com', name: 'Sam', role: 'operator', teamScoped: true, authProvider: 'credentials', disabled: false,
      teams: [{ id: billing.id, name: 'u-billing' }, { id: expect.any(String), name: 'u-orders' }],
    });
    expect(user).not.toHaveProperty('passwordHash');
    expect((await lastEvent(user.id)).after).toEqual({
      email: 'scoped@example.com', name: 'Sam', role: 'operator', teamScoped: true, teams: ['u-billing', 'u-orders'], disabled: false,
    });
    // The session's actor is limited to those teams' queues.
    expect(await findActiveUser(user.id, new Date())).toMatchObject({ teamScoped: true, teamIds: expect.arrayContaining([billing.id]) });
  });

  it('refuses an unknown team, naming it, and creates nothing', async () => {
    const before = await snapshot();
    await expect(createUser({ actor: ADMIN, email: 'ghost@example.com', password: PASSWORD, role: 'viewer', teams: ['u-billing', 'nope', 'nada'] }))
      .rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No team named "nope", "nada"' });
    await expect(createUser({ actor: ADMIN, email: 'ghost@example.com', password: PASSWORD, role: 'viewer', isAdmin: true } as never))
      .rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/isAdmin/) });
    expect(await snapshot()).toEqual(before);
  });

  it('lists users with teams and status for users:read (an auditor), never a password hash; refuses an operator', async () => {
    const users = await listUsers({ actor: AUDITOR });
    expect(users.map((u) => u.email)).toEqual([...users.map((u) => u.email)].sort());
    expect(users.find((u) => u.email === 'scoped@example.com')).toMatchObject({ teams: [{ name: 'u-billing' }, { name: 'u-orders' }], teamScoped: true });
    expect(JSON.stringify(users)).not.toMatch(/scrypt|passwordHash/);
    await expect(listUsers({ actor: OPERATOR })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('users:read') });
    await expect(getUser({ actor: AUDITOR, user: { email: 'SCOPED@example.com' } })).resolves.toMatchObject({ email: 'scoped@example.com' });
    await expect(getUser({ actor: AUDITOR, user: { id: 'not-a-uuid' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('updateUser', () => {
  it('changes role, name, scope and teams, recording before and after; a change to nothing new records nothing', async () => {
    const user = await newUser('change-me@example.com');
    const updated = await updateUser({ actor: ADMIN, user: { id: user.id }, changes: { role: 'support_lead', name: 'Changed', teamScoped: true, teams: ['u-orders'] } });
    expect(updated).toMatchObject({ role: 'support_lead', name: 'Changed', teamScoped: true, teams: [{ name: 'u-orders' }] });
    const event = await lastEvent(user.id);
    expect(event).toMatchObject({ actor: 'user:root@example.com', action: 'user.updated' });
    expect(event.before).toEqual({ email: 'change-me@example.com', name: null, role: 'viewer', teamScoped: false, teams: [], disabled: false });
    expect(event.after).toEqual({ email: 'change-me@example.com', name: 'Changed', role: 'support_lead', teamScoped: true, teams: ['u-orders'], disabled: false });
    // The next request sees it.
    expect(await findActiveUser(user.id, new Date())).toMatchObject({ role: 'support_lead', teamScoped: true });

    const before = await snapshot();
    await updateUser({ actor: ADMIN, user: { email: 'change-me@example.com' }, changes: { role: 'support_lead', teams: ['u-orders'] } });
    expect(await snapshot()).toEqual(before);
    await updateUser({ actor: ADMIN, user: { id: user.id }, changes: { teams: [], name: '' } });
    expect(await getUser({ actor: ADMIN, user: { id: user.id } })).toMatchObject({ teams: [], name: null });
  });

  it.each([
    ['an empty change', {}, 'INVALID_INPUT', /nothing to change/],
    ['an unknown role', { role: 'root' }, 'INVALID_INPUT', /role must be one of viewer, operator, support_lead, auditor, admin/],
    ['teamScoped as text', { teamScoped: 'yes' }, 'INVALID_INPUT', /teamScoped must be true or false/],
    ['a control character in the name', { name: 'a\u0007b' }, 'INVALID_INPUT', /name contains control characters/],
    ['an unknown field', { email: 'x@example.com' }, 'INVALID_INPUT', /email/],
    ['an unknown team', { teams: ['u-orders', 'missing'] }, 'NOT_FOUND', /No team named "missing"/],
  ])('refuses %s and changes nothing', async (_, changes, code, message) => {
    const user = await prisma().user.findUniqueOrThrow({ where: { email: 'scoped@example.com' } });
    const before = await snapshot();
    await expect(updateUser({ actor: ADMIN, user: { id: user.id }, changes: changes as never })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an unknown user, and every role without users:manage, changing nothing', async () => {
    const user = await prisma().user.findUniqueOrThrow({ where: { email: 'scoped@example.com' } });
    const before = await snapshot();
    await expect(updateUser({ actor: ADMIN, user: { email: 'nobody@example.com' }, changes: { role: 'admin' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const actor of [OPERATOR, AUDITOR, SUPPORT]) {
      await expect(updateUser({ actor, user: { id: user.id }, changes: { role: 'admin' } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('users:manage') });
      await expect(disableUser({ actor, user: { id: user.id } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(enableUser({ actor, user: { id: user.id } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(revokeUserSessions({ actor, user: { id: user.id } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(setUserPassword({ actor, user: { id: user.id }, password: 'a brand new password' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(createUser({ actor, email: 'sneaky@example.com', password: PASSWORD, role: 'admin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('disableUser, enableUser and revokeUserSessions', () => {
  it('disabling ends every session at its next request; enabling lets the user sign in afresh, old sessions stay out', async () => {
    const user = await newUser('leaver@example.com', 'operator');
    const signedIn = new Date(Date.now() - 1000);
    expect(await findActiveUser(user.id, signedIn)).not.toBeNull();

    const disabled = await disableUser({ actor: ADMIN, user: { id: user.id }, reason: 'left the company' });
    expect(disabled).toMatchObject({ disabled: true, disabledAt: expect.any(String), sessionsValidAfter: disabled.disabledAt });
    expect(await findActiveUser(user.id, signedIn)).toBeNull();
    expect(await authenticateUser({ email: 'leaver@example.com', password: PASSWORD })).toBeNull();
    expect(await lastEvent(user.id)).toMatchObject({
      action: 'user.disabled', reason: 'left the company', before: expect.objectContaining({ disabled: false }), after: expect.objectContaining({ disabled: true }),
    });
    // Disabling again changes and records nothing.
    const before = await snapshot();
    await disableUser({ actor: ADMIN, user: { id: user.id } });
    expect(await snapshot()).toEqual(before);

    await enableUser({ actor: ADMIN, user: { email: 'leaver@example.com' } });
    expect(await lastEvent(user.id)).toMatchObject({ action: 'user.enabled', after: expect.objectContaining({ disabled: false }) });
    expect(await findActiveUser(user.id, signedIn), 'a session from before the disable').toBeNull();
    const fresh = await authenticateUser({ email: 'leaver@example.com', password: PASSWORD });
    expect(fresh).not.toBeNull();
    expect(await findActiveUser(user.id, new Date(Date.now() + 1))).toMatchObject({ email: 'leaver@example.com' });
  });

  it('sign out everywhere refuses every session issued before it, and none issued after', async () => {
    const user = await newUser('everywhere@example.com');
    const earlier = new Date(Date.now() - 5000);
    const revoked = await revokeUserSessions({ actor: ADMIN, user: { id: user.id } });
    const at = new Date(revoked.sessionsValidAfter!);
    expect(await findActiveUser(user.id, earlier)).toBeNull();
    expect(await findActiveUser(user.id, new Date(at.getTime() - 1))).toBeNull();
    expect(await findActiveUser(user.id)).toBeNull(); // a session that does not say when it began
    expect(await findActiveUser(user.id, new Date(at.getTime() + 1))).toMatchObject({ id: user.id });
    const event = await lastEvent(user.id);
    expect(event).toMatchObject({ action: 'user.sessions_revoked', before: { email: 'everywhere@example.com', sessionsValidAfter: null }, after: { sessionsValidAfter: revoked.sessionsValidAfter } });
  });

  it('rolls a disable back when its audit event cannot be written', async () => {
    const user = await newUser('unaudited@example.com');
    await prisma().$executeRawUnsafe(`CREATE OR REPLACE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'user.disabled' THEN RAISE EXCEPTION 'audit insert refused by the test'; END IF; RETURN NEW; END $$`);
    await prisma().$executeRawUnsafe('CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()');
    try {
      await expect(disableUser({ actor: ADMIN, user: { id: user.id } })).rejects.toThrow(/audit insert refused/);
    } finally {
      await prisma().$executeRawUnsafe('DROP TRIGGER fail_audit ON audit_events');
    }
    expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ disabledAt: null, sessionsValidAfter: null });
  });
});

describe('setUserPassword', () => {
  it('sets a new password, ends the sessions, and never records the password or its hash', async () => {
    const user = await newUser('forgetful@example.com');
    const signedIn = new Date(Date.now() - 1000);
    await setUserPassword({ actor: ADMIN, user: { id: user.id }, password: 'a brand new passphrase' });
    expect(await authenticateUser({ email: 'forgetful@example.com', password: PASSWORD })).toBeNull();
    expect(await authenticateUser({ email: 'forgetful@example.com', password: 'a brand new passphrase' })).toMatchObject({ id: user.id });
    expect(await findActiveUser(user.id, signedIn)).toBeNull();
    const event = await lastEvent(user.id);
    expect(event.action).toBe('user.password_changed');
    const { passwordHash } = await prisma().user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    const recorded = JSON.stringify({ ...event, id: String(event.id), hash: null, prevHash: null });
    expect(recorded).not.toContain('a brand new passphrase');
    expect(recorded).not.toContain(passwordHash!.split('$')[5]!);
    expect(recorded).not.toContain('scrypt');
  });

  it('refuses a short password and a user who signs in through OIDC, changing nothing', async () => {
    const oidc = await prisma().user.create({ data: { email: 'sso@example.com', role: 'viewer', authProvider: 'oidc' } });
    const local = await prisma().user.findUniqueOrThrow({ where: { email: 'forgetful@example.com' } });
    const before = await snapshot();
    await expect(setUserPassword({ actor: ADMIN, user: { id: local.id }, password: 'short' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'password must be at least 12 characters' });
    await expect(setUserPassword({ actor: ADMIN, user: { id: oidc.id }, password: 'a long enough password' })).rejects.toMatchObject({
      code: 'CONFLICT', message: expect.stringMatching(/sso@example\.com signs in through the identity provider/),
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe('there must be at least one enabled admin', () => {
  it('refuses to disable or demote the last enabled admin, whoever asks, and says why', async () => {
    // Start from no enabled admin but the one made here.
    await prisma().user.updateMany({ where: { role: 'admin' }, data: { disabledAt: new Date() } });
    const only = await newUser('only-admin@example.com', 'admin');
    const self = { kind: 'user', id: only.id, email: only.email, role: 'admin' } as const;
    const before = await snapshot();
    for (const actor of [self, SYSTEM]) {
      await expect(disableUser({ actor, user: { id: only.id } })).rejects.toMatchObject({
        code: 'CONFLICT', message: 'There must be at least one enabled admin: only-admin@example.com is the last one, so it cannot be disabled. Make another user admin first.',
      });
      await expect(updateUser({ actor, user: { id: only.id }, changes: { role: 'operator' } })).rejects.toMatchObject({
        code: 'CONFLICT', message: expect.stringMatching(/at least one enabled admin: only-admin@example\.com is the last one, so it cannot be given another role/),
      });
    }
    // Other changes to the last admin are fine.
    expect(await snapshot()).toEqual(before);
    await expect(updateUser({ actor: self, user: { id: only.id }, changes: { name: 'Still admin' } })).resolves.toMatchObject({ role: 'admin' });

    // With a second admin, either may step down; a disabled admin does not count.
    const second = await newUser('second-admin@example.com', 'admin');
    await expect(updateUser({ actor: self, user: { id: only.id }, changes: { role: 'viewer' } })).resolves.toMatchObject({ role: 'viewer' });
    await expect(disableUser({ actor: SYSTEM, user: { id: second.id } })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('lets exactly one of two admins demoting each other at once succeed', async () => {
    await prisma().user.updateMany({ where: { role: 'admin' }, data: { disabledAt: new Date() } });
    const a = await newUser('race-a@example.com', 'admin');
    const b = await newUser('race-b@example.com', 'admin');
    const results = await Promise.allSettled([
      updateUser({ actor: { kind: 'user', id: a.id, email: a.email, role: 'admin' }, user: { id: b.id }, changes: { role: 'viewer' } }),
      disableUser({ actor: { kind: 'user', id: b.id, email: b.email, role: 'admin' }, user: { id: a.id } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    expect(await prisma().user.count({ where: { role: 'admin', disabledAt: null } })).toBe(1);
  });
});
