import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TOidcIdentity } from '../auth/map-oidc-claims';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { createUser } from './create-user';
import { upsertOidcUser } from './upsert-oidc-user';

const SYSTEM = { kind: 'system', name: 'cli' } as const;
const ISSUER = 'https://id.example.com/realms/ops';
const MANAGED = ['Billing', 'Shipping', 'Ghost team'];
let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  db = await createTestDatabase('oidc_users');
  await prisma().team.createMany({ data: [{ name: 'Billing', queue: 'billing' }, { name: 'Shipping', queue: 'shipping' }, { name: 'Manual', queue: 'manual' }] });
});
afterAll(async () => db?.drop());

const identity = (over: Partial<TOidcIdentity> = {}): TOidcIdentity => ({ subject: 's-1', email: 'ada@example.com', name: 'Ada', role: 'operator', teams: null, ...over });
const eventsFor = (userId: string) => prisma().auditEvent.findMany({ where: { subject: `user:${userId}` }, orderBy: { id: 'asc' } });
const teamsOf = async (userId: string) =>
  (await prisma().teamMember.findMany({ where: { userId }, include: { team: true } })).map((m) => m.team.name).sort();

it('creates the user at the first sign-in without a password, and audits it as the provider', async () => {
  const result = await upsertOidcUser({ identity: identity({ email: 'first@example.com' }), issuer: ISSUER, managedTeams: [] });
  expect(result.ok).toBe(true);
  const userId = (result as { userId: string }).userId;
  const user = await prisma().user.findUniqueOrThrow({ where: { id: userId }, omit: { passwordHash: false } });
  expect(user).toMatchObject({ email: 'first@example.com', role: 'operator', authProvider: 'oidc', passwordHash: null, name: 'Ada' });
  const events = await eventsFor(userId);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ action: 'user.created', actor: 'oidc:id.example.com', after: { email: 'first@example.com', role: 'operator', authProvider: 'oidc' } });
});

it('re-applies the role and the mapped teams at every sign-in, auditing only changes, and leaves other teams alone', async () => {
  const email = 'groups@example.com';
  const first = await upsertOidcUser({ identity: identity({ email, role: 'operator', teams: ['Billing'] }), issuer: ISSUER, managedTeams: MANAGED });
  const userId = (first as { userId: string }).userId;
  expect(await teamsOf(userId)).toEqual(['Billing']);
  // An admin adds the user to a team the provider does not manage.
  const manual = await prisma().team.findUniqueOrThrow({ where: { name: 'Manual' } });
  await prisma().teamMember.create({ data: { teamId: manual.id, userId } });

  expect(await upsertOidcUser({ identity: identity({ email, role: 'operator', teams: ['Billing'] }), issuer: ISSUER, managedTeams: MANAGED })).toEqual({ ok: true, userId });
  expect(await eventsFor(userId)).toHaveLength(1); // nothing changed, nothing audited

  await upsertOidcUser({ identity: identity({ email, role: 'auditor', teams: ['Shipping'] }), issuer: ISSUER, managedTeams: MANAGED });
  expect((await prisma().user.findUniqueOrThrow({ where: { id: userId } })).role).toBe('auditor');
  expect(await teamsOf(userId)).toEqual(['Manual', 'Shipping']);
  const events = await eventsFor(userId);
  expect(events.map((e) => e.action)).toEqual(['user.created', 'user.updated']);
  expect(events[1]).toMatchObject({
    actor: 'oidc:id.example.com',
    before: { role: 'operator', name: 'Ada', teams: ['Billing'] },
    after: { role: 'auditor', name: 'Ada', teams: ['Shipping'] },
  });
});

it('without a team map, leaves memberships as they are', async () => {
  const email = 'noteams@example.com';
  const { userId } = (await upsertOidcUser({ identity: identity({ email }), issuer: ISSUER, managedTeams: [] })) as { userId: string };
  const billing = await prisma().team.findUniqueOrThrow({ where: { name: 'Billing' } });
  await prisma().teamMember.create({ data: { teamId: billing.id, userId } });
  await upsertOidcUser({ identity: identity({ email, role: 'viewer' }), issuer: ISSUER, managedTeams: [] });
  expect(await teamsOf(userId)).toEqual(['Billing']);
});

it('never takes over a password account with the same email, and changes nothing', async () => {
  await createUser({ actor: SYSTEM, email: 'pw@example.com', password: 'correct horse battery', role: 'viewer' });
  const before = await prisma().auditEvent.count();
  expect(await upsertOidcUser({ identity: identity({ email: 'pw@example.com', role: 'admin' }), issuer: ISSUER, managedTeams: [] }))
    .toEqual({ ok: false, refusal: 'OidcAccountConflict' });
  expect(await prisma().user.findUniqueOrThrow({ where: { email: 'pw@example.com' } })).toMatchObject({ role: 'viewer', authProvider: 'credentials' });
  expect(await prisma().auditEvent.count()).toBe(before);
});

it('refuses a disabled user, whatever the provider says', async () => {
  const { userId } = (await upsertOidcUser({ identity: identity({ email: 'off@example.com' }), issuer: ISSUER, managedTeams: [] })) as { userId: string };
  await prisma().user.update({ where: { id: userId }, data: { disabledAt: new Date() } });
  expect(await upsertOidcUser({ identity: identity({ email: 'off@example.com', role: 'admin' }), issuer: ISSUER, managedTeams: [] }))
    .toEqual({ ok: false, refusal: 'AccountDisabled' });
  expect((await prisma().user.findUniqueOrThrow({ where: { id: userId } })).role).toBe('operator');
});

it('creates one user when the first two sign-ins arrive at once', async () => {
  const results = await Promise.all(Array.from({ length: 3 }, () => upsertOidcUser({ identity: identity({ email: 'race@example.com' }), issuer: ISSUER, managedTeams: [] })));
  expect(results.every((r) => r.ok)).toBe(true);
  expect(new Set(results.map((r) => (r as { userId: string }).userId)).size).toBe(1);
  expect(await prisma().user.count({ where: { email: 'race@example.com' } })).toBe(1);
  expect(await prisma().auditEvent.count({ where: { action: 'user.created', after: { path: ['email'], equals: 'race@example.com' } } })).toBe(1);
});
