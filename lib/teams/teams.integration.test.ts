import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { createApiToken } from '../tokens/create-api-token';
import { revokeApiToken } from '../tokens/revoke-api-token';
import { createTeam } from './create-team';
import { deleteTeam } from './delete-team';
import { listTeams } from './list-teams';
import { setTeamMembers } from './set-team-members';
import { setTeamOwnership } from './set-team-ownership';
import { updateTeam } from './update-team';
import type { TTeam, TTeamInput } from './team-dto';

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };
const OPERATOR: TActor = { kind: 'user', id: 'o', email: 'op@example.com', role: 'operator' };
const VIEWER: TActor = { kind: 'user', id: 'v', email: 'viewer@example.com', role: 'viewer' };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('teams'); });
afterAll(async () => db?.drop());

const counts = async () => ({ teams: await prisma().team.count(), audit: await prisma().auditEvent.count() });

/** Makes the audit insert for one action fail, as a full disk or a bug would. */
async function failAuditOf(action: string) {
  await prisma().$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.action = '${action}' THEN RAISE EXCEPTION 'audit insert refused by the test'; END IF;
      RETURN NEW;
    END $$`);
  await prisma().$executeRawUnsafe('CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit()');
  return () => prisma().$executeRawUnsafe('DROP TRIGGER fail_audit ON audit_events');
}

describe('createTeam', () => {
  it('creates a queue team and an exchange team, lists them by name, and audits each', async () => {
    const billing = await createTeam({ actor: ADMIN, name: ' billing ', exchange: 'billing.events', routingKey: 'dead.invoices', contact: '#billing-oncall' });
    const orders = await createTeam({ actor: ADMIN, name: 'orders', queue: 'orders.fixes' });
    expect(billing).toMatchObject({ name: 'billing', exchange: 'billing.events', routingKey: 'dead.invoices', contact: '#billing-oncall' });
    expect(orders).toMatchObject({ name: 'orders', queue: 'orders.fixes', contact: null });
    expect((await listTeams({ actor: VIEWER })).map((t) => t.name)).toEqual(['billing', 'orders']);
    const row = await prisma().team.findUniqueOrThrow({ where: { name: 'orders' } });
    expect(row).toMatchObject({ queue: 'orders.fixes', exchange: null, routingKey: null });

    const events = await prisma().auditEvent.findMany({ where: { subject: { in: ['team:billing', 'team:orders'] } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.actor, e.action, e.subject, e.before, e.after])).toEqual([
      ['user:admin@example.com', 'team.created', 'team:billing', null,
        { name: 'billing', queue: null, exchange: 'billing.events', routingKey: 'dead.invoices', contact: '#billing-oncall' }],
      ['user:admin@example.com', 'team.created', 'team:orders', null, { name: 'orders', queue: 'orders.fixes', exchange: null, routingKey: null, contact: null }],
    ]);
    // A fanout exchange ignores the routing key: an empty one is a destination.
    await expect(createTeam({ actor: ADMIN, name: 'fanout', exchange: 'broadcast', routingKey: '' })).resolves.toMatchObject({
      exchange: 'broadcast', routingKey: '',
    });
  });

  it.each([
    ['an empty name', { name: '  ', queue: 'q' }, /name is empty/],
    ['a name over 100 characters', { name: 'n'.repeat(101), queue: 'q' }, /name is longer than 100 characters/],
    ['a control character in the name', { name: 'bad\u001b[31m', queue: 'q' }, /name contains control characters/],
    ['no destination', { name: 'x' }, /a team needs a destination: a queue, or an exchange with a routing key/],
    ['only null destination fields', { name: 'x', queue: null, exchange: null, routingKey: null }, /a team needs a destination/],
    ['a queue and an exchange', { name: 'x', queue: 'q', exchange: 'e', routingKey: 'k' }, /not both/],
    ['an exchange without a routing key', { name: 'x', exchange: 'e' }, /an exchange needs a routing key/],
    ['a queue name over 255 bytes of UTF-8', { name: 'x', queue: 'é'.repeat(128) }, /queue name is longer than 255 bytes/],
    ['an exchange name over 255 bytes', { name: 'x', exchange: 'e'.repeat(256), routingKey: 'k' }, /exchange name is longer than 255 bytes/],
    ['a routing key over 255 bytes', { name: 'x', exchange: 'e', routingKey: 'k'.repeat(256) }, /routing key is longer than 255 bytes/],
    ['a control character in the queue', { name: 'x', queue: 'q\nfake line' }, /queue name contains control characters/],
    ['a contact over 200 characters', { name: 'x', queue: 'q', contact: 'c'.repeat(201) }, /contact is longer than 200 characters/],
    ['an unknown field', { name: 'x', queue: 'q', vhost: '/' }, /Unrecognized key: "vhost"/],
  ])('refuses %s and changes nothing', async (_, input, message) => {
    const before = await counts();
    await expect(createTeam({ ...(input as unknown as TTeamInput), actor: ADMIN })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    expect(await counts()).toEqual(before);
  });

  it('answers CONFLICT naming the team, to a second create and to every loser of a race', async () => {
    await createTeam({ actor: ADMIN, name: 'payments', queue: 'payments.fixes' });
    await expect(createTeam({ actor: ADMIN, name: 'payments', queue: 'other' })).rejects.toMatchObject({
      code: 'CONFLICT', message: 'A team named "payments" already exists',
    });
    const race = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => createTeam({ actor: ADMIN, name: 'racers', queue: `q${i}` })));
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of race.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    expect(await prisma().auditEvent.count({ where: { subject: 'team:racers' } })).toBe(1);
  });

  it('refuses a viewer and an operator, creating nothing; both can list', async () => {
    const before = await counts();
    for (const actor of [VIEWER, OPERATOR]) {
      await expect(createTeam({ actor, name: 'sneaky', queue: 'q' })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('teams:manage') });
      await expect(listTeams({ actor })).resolves.toEqual(expect.any(Array));
    }
    expect(await counts()).toEqual(before);
  });

  it('writes the team and its audit event in one transaction: a failed audit insert leaves no team', async () => {
    const restore = await failAuditOf('team.created');
    try {
      await expect(createTeam({ actor: ADMIN, name: 'unaudited', queue: 'q' })).rejects.toThrow(/audit insert refused/);
    } finally {
      await restore();
    }
    expect(await prisma().team.findUnique({ where: { name: 'unaudited' } })).toBeNull();
  });
});

describe('updateTeam', () => {
  it('renames, moves the destination and clears the contact, recording before and after', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'search', queue: 'search.fixes', contact: 'search@example.com' });
    const updated = await updateTeam({ actor: ADMIN, team: { id: team.id }, changes: { name: 'search-platform', exchange: 'search', routingKey: 'fixes', contact: null } });
    expect(updated).toMatchObject({ id: team.id, name: 'search-platform', exchange: 'search', routingKey: 'fixes', contact: null });
    expect(await prisma().team.findUniqueOrThrow({ where: { id: team.id } })).toMatchObject({ queue: null, exchange: 'search', routingKey: 'fixes', contact: null });
    const event = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'team.updated', subject: 'team:search' } });
    expect(event.before).toEqual({ name: 'search', queue: 'search.fixes', exchange: null, routingKey: null, contact: 'search@example.com' });
    expect(event.after).toEqual({ name: 'search-platform', queue: null, exchange: 'search', routingKey: 'fixes', contact: null });

    // A listed team echoed back, with a change, is a valid update (unused destination fields null).
    const { id: _, createdAt: _c, updatedAt: _u, origins: _o, sources: _s, members: _m, ...listed } = updated;
    await expect(updateTeam({ actor: ADMIN, team: { id: team.id }, changes: { ...listed, routingKey: 'fixes.v2' } })).resolves.toMatchObject({ routingKey: 'fixes.v2' });
    await updateTeam({ actor: ADMIN, team: { id: team.id }, changes: { ...listed, routingKey: 'fixes' } });

    // Only the fields given change; a change to nothing new records nothing.
    await updateTeam({ actor: ADMIN, team: { name: 'search-platform' }, changes: { contact: '#search' } });
    expect(await prisma().team.findUniqueOrThrow({ where: { id: team.id } })).toMatchObject({ name: 'search-platform', exchange: 'search', contact: '#search' });
    const before = await counts();
    await updateTeam({ actor: ADMIN, team: { id: team.id }, changes: { name: 'search-platform', contact: '#search' } });
    expect(await counts()).toEqual(before);
  });

  it('refuses a rename to a taken name, an empty change, bad input, an unknown team and a viewer, changing nothing', async () => {
    const a = await createTeam({ actor: ADMIN, name: 'alpha', queue: 'alpha.q' });
    await createTeam({ actor: ADMIN, name: 'beta', queue: 'beta.q' });
    const before = await counts();
    await expect(updateTeam({ actor: ADMIN, team: { id: a.id }, changes: { name: 'beta' } })).rejects.toMatchObject({ code: 'CONFLICT', message: 'A team named "beta" already exists' });
    await expect(updateTeam({ actor: ADMIN, team: { id: a.id }, changes: {} })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/nothing to change/) });
    await expect(updateTeam({ actor: ADMIN, team: { id: a.id }, changes: { exchange: 'e' } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/an exchange needs a routing key/) });
    await expect(updateTeam({ actor: ADMIN, team: { id: a.id }, changes: { routingKey: 'k' } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/a team needs a destination/) });
    await expect(updateTeam({ actor: ADMIN, team: { id: '00000000-0000-4000-8000-000000000000' }, changes: { contact: 'x' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(updateTeam({ actor: ADMIN, team: { id: 'not-a-uuid' }, changes: { contact: 'x' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(updateTeam({ actor: ADMIN, team: { name: 'gamma' }, changes: { contact: 'x' } })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No team named "gamma"' });
    await expect(updateTeam({ actor: VIEWER, team: { id: a.id }, changes: { contact: 'x' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await counts()).toEqual(before);
    expect(await prisma().team.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ name: 'alpha', contact: null });
  });

  it('rolls the change back when its audit event cannot be written', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'rollback-update', queue: 'q' });
    const restore = await failAuditOf('team.updated');
    try {
      await expect(updateTeam({ actor: ADMIN, team: { id: team.id }, changes: { contact: 'lost' } })).rejects.toThrow(/audit insert refused/);
    } finally {
      await restore();
    }
    expect(await prisma().team.findUniqueOrThrow({ where: { id: team.id } })).toMatchObject({ contact: null });
  });
});

describe('deleteTeam', () => {
  it('deletes by id or by name, records what it was, and says NOT_FOUND the second time', async () => {
    const one = await createTeam({ actor: ADMIN, name: 'doomed-1', queue: 'q1' });
    await createTeam({ actor: ADMIN, name: 'doomed-2', exchange: 'e', routingKey: 'k' });
    await expect(deleteTeam({ actor: ADMIN, team: { id: one.id } })).resolves.toMatchObject({ name: 'doomed-1' });
    await expect(deleteTeam({ actor: ADMIN, team: { name: 'doomed-2' } })).resolves.toMatchObject({ name: 'doomed-2' });
    await expect(deleteTeam({ actor: ADMIN, team: { id: one.id } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await prisma().team.count({ where: { name: { startsWith: 'doomed' } } })).toBe(0);
    const events = await prisma().auditEvent.findMany({ where: { action: 'team.deleted', subject: { startsWith: 'team:doomed' } }, orderBy: { id: 'asc' } });
    // What the cascade removed (ownership, members) is kept in the event too.
    const gone = { origins: [], sources: [], members: [], revokedTokens: [] };
    expect(events.map((e) => e.before)).toEqual([
      { name: 'doomed-1', queue: 'q1', exchange: null, routingKey: null, contact: null, ...gone },
      { name: 'doomed-2', queue: null, exchange: 'e', routingKey: 'k', contact: null, ...gone },
    ]);
  });

  it('lets one of two concurrent deletes win; the other is NOT_FOUND and records nothing', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'contested', queue: 'q' });
    const both = await Promise.allSettled([deleteTeam({ actor: ADMIN, team: { id: team.id } }), deleteTeam({ actor: ADMIN, team: { id: team.id } })]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await prisma().auditEvent.count({ where: { action: 'team.deleted', subject: 'team:contested' } })).toBe(1);
  });

  it('refuses an operator, and keeps the team when the audit insert fails', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'kept', queue: 'q' });
    await expect(deleteTeam({ actor: OPERATOR, team: { id: team.id } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const restore = await failAuditOf('team.deleted');
    try {
      await expect(deleteTeam({ actor: ADMIN, team: { id: team.id } })).rejects.toThrow(/audit insert refused/);
    } finally {
      await restore();
    }
    expect(await prisma().team.findUnique({ where: { id: team.id } })).not.toBeNull();
  });
});

const SUPPORT: TActor = { kind: 'user', id: 's', email: 'lead@example.com', role: 'support_lead' };

describe('setTeamOwnership', () => {
  it('lets a support lead replace the queues a team owns, recording before and after; the team lists them', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'owner', queue: 'owner.fixes' });
    const set = await setTeamOwnership({ actor: SUPPORT, team: { id: team.id }, ownership: { origins: ['orders', ' invoices', 'orders'], sources: ['orders.dlq'] } });
    expect(set).toMatchObject({ origins: ['invoices', 'orders'], sources: ['orders.dlq'] });
    expect((await listTeams({ actor: VIEWER })).find((t) => t.id === team.id)).toMatchObject({ origins: ['invoices', 'orders'], sources: ['orders.dlq'] });

    const replaced = await setTeamOwnership({ actor: SUPPORT, team: { name: 'owner' }, ownership: { origins: ['orders'], sources: [] } });
    expect(replaced).toMatchObject({ origins: ['orders'], sources: [] });
    const events = await prisma().auditEvent.findMany({ where: { action: 'team.ownership_changed', subject: 'team:owner' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.actor, e.before, e.after])).toEqual([
      ['user:lead@example.com', { origins: [], sources: [] }, { origins: ['invoices', 'orders'], sources: ['orders.dlq'] }],
      ['user:lead@example.com', { origins: ['invoices', 'orders'], sources: ['orders.dlq'] }, { origins: ['orders'], sources: [] }],
    ]);
    // The same again changes and records nothing.
    const before = await counts();
    await setTeamOwnership({ actor: SUPPORT, team: { id: team.id }, ownership: { origins: ['orders'], sources: [] } });
    expect(await counts()).toEqual(before);
  });

  it('refuses a queue another team owns, naming the team; the same name as another kind is fine', async () => {
    const other = await createTeam({ actor: ADMIN, name: 'claimant', queue: 'c' });
    const audit = await prisma().auditEvent.count();
    await expect(setTeamOwnership({ actor: ADMIN, team: { id: other.id }, ownership: { origins: ['orders', 'fresh'], sources: [] } })).rejects.toMatchObject({
      code: 'CONFLICT', message: 'Already owned by another team: origin orders (team owner). That team must give it up first.',
      details: { owned: [{ kind: 'origin', queue: 'orders', team: 'owner' }] },
    });
    expect(await prisma().teamOwnership.count({ where: { teamId: other.id } })).toBe(0);
    expect(await prisma().auditEvent.count()).toBe(audit);
    await expect(setTeamOwnership({ actor: ADMIN, team: { id: other.id }, ownership: { origins: [], sources: ['orders'] } })).resolves.toMatchObject({ sources: ['orders'] });
  });

  it('gives a queue to one of two teams claiming it at once; the other is told which team has it', async () => {
    const [a, b] = await Promise.all(['race-a', 'race-b'].map((name) => createTeam({ actor: ADMIN, name, queue: 'q' })));
    const results = await Promise.allSettled([a!, b!].map((t) => setTeamOwnership({ actor: ADMIN, team: { id: t.id }, ownership: { origins: ['contested'], sources: [] } })));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<TTeam>).value.name;
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
      code: 'CONFLICT', message: expect.stringContaining(`origin contested (team ${winner})`),
    });
    expect(await prisma().teamOwnership.count({ where: { queue: 'contested' } })).toBe(1);
  });

  it('refuses an operator and a viewer, bad queue names and unknown fields, changing nothing', async () => {
    const team = await prisma().team.findUniqueOrThrow({ where: { name: 'owner' } });
    const before = { ...(await counts()), owned: await prisma().teamOwnership.count() };
    for (const actor of [OPERATOR, VIEWER]) {
      await expect(setTeamOwnership({ actor, team: { id: team.id }, ownership: { origins: [], sources: [] } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('teams:ownership') });
      await expect(setTeamMembers({ actor, team: { id: team.id }, members: { users: [] } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(setTeamOwnership({ actor: ADMIN, team: { id: team.id }, ownership: { origins: ['bad\nname'], sources: [] } })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /control characters/ });
    await expect(setTeamOwnership({ actor: ADMIN, team: { id: team.id }, ownership: { origins: [] } as never })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /sources must be a list/ });
    await expect(setTeamOwnership({ actor: ADMIN, team: { name: 'nope' }, ownership: { origins: [], sources: [] } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect({ ...(await counts()), owned: await prisma().teamOwnership.count() }).toEqual(before);
  });
});

describe('a team-scoped support lead', () => {
  it('cannot change ownership or membership, which would widen its own reach', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'scoped-crew', queue: 'q' });
    const scoped: TActor = { ...SUPPORT, scope: { teamIds: [team.id], origins: [], sources: [] } } as TActor;
    const before = { ...(await counts()), owned: await prisma().teamOwnership.count(), members: await prisma().teamMember.count() };
    await expect(setTeamOwnership({ actor: scoped, team: { id: team.id }, ownership: { origins: ['payments'], sources: [] } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: /widen its own reach/ });
    await expect(setTeamMembers({ actor: scoped, team: { id: team.id }, members: { users: [] } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect({ ...(await counts()), owned: await prisma().teamOwnership.count(), members: await prisma().teamMember.count() }).toEqual(before);
  });
});

describe('setTeamMembers', () => {
  it('replaces the members by email or id, recording before and after; unknown users are named and nothing changes', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'crew', queue: 'q' });
    const [ann, bob] = await Promise.all(['ann@example.com', 'bob@example.com'].map((email) => prisma().user.create({ data: { email, role: 'operator', passwordHash: 'x' } })));
    const set = await setTeamMembers({ actor: SUPPORT, team: { id: team.id }, members: { users: ['ANN@example.com', bob!.id] } });
    expect(set.members).toEqual(['ann@example.com', 'bob@example.com']);

    const before = await counts();
    await expect(setTeamMembers({ actor: SUPPORT, team: { id: team.id }, members: { users: ['ann@example.com', 'zed@example.com'] } })).rejects.toMatchObject({
      code: 'NOT_FOUND', message: 'No user with email "zed@example.com"',
    });
    expect(await counts()).toEqual(before);
    expect((await setTeamMembers({ actor: SUPPORT, team: { name: 'crew' }, members: { users: [ann!.email] } })).members).toEqual(['ann@example.com']);
    const events = await prisma().auditEvent.findMany({ where: { action: 'team.members_changed', subject: 'team:crew' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.before, e.after])).toEqual([
      [{ members: [] }, { members: ['ann@example.com', 'bob@example.com'] }],
      [{ members: ['ann@example.com', 'bob@example.com'] }, { members: ['ann@example.com'] }],
    ]);
  });
});

describe('deleteTeam and API tokens', () => {
  it('refuses while the team has unrevoked tokens, naming them; then detaches the revoked ones and records what went', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'tokened', queue: 'q' });
    await setTeamOwnership({ actor: ADMIN, team: { id: team.id }, ownership: { origins: ['tokened.origin'], sources: [] } });
    const one = await createApiToken({ actor: ADMIN, name: 'ci-one', role: 'viewer', team: 'tokened' });
    await createApiToken({ actor: ADMIN, name: 'ci-two', role: 'viewer', team: team.id });
    const before = await counts();
    await expect(deleteTeam({ actor: ADMIN, team: { id: team.id } })).rejects.toMatchObject({
      code: 'CONFLICT', message: 'Team tokened still has 2 unrevoked API token(s) limited to it ("ci-one", "ci-two"): revoke its 2 token(s) first',
    });
    expect(await counts()).toEqual(before);

    await revokeApiToken({ actor: ADMIN, idOrName: 'ci-one' });
    await revokeApiToken({ actor: ADMIN, idOrName: 'ci-two' });
    await deleteTeam({ actor: ADMIN, team: { id: team.id } });
    expect(await prisma().apiToken.findUniqueOrThrow({ where: { id: one.id } })).toMatchObject({ teamId: null, revokedAt: expect.any(Date) });
    expect(await prisma().teamOwnership.count({ where: { queue: 'tokened.origin' } })).toBe(0);
    const event = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'team.deleted', subject: 'team:tokened' } });
    expect(event.before).toMatchObject({ origins: ['tokened.origin'], revokedTokens: expect.arrayContaining([one.id]) });
  });

  it('a token created while the team is being deleted either blocks the delete or fails: never a token of a deleted team', async () => {
    const team = await createTeam({ actor: ADMIN, name: 'racing', queue: 'q' });
    const [created, deleted] = await Promise.allSettled([
      createApiToken({ actor: ADMIN, name: 'late', role: 'viewer', team: team.id }),
      deleteTeam({ actor: ADMIN, team: { id: team.id } }),
    ]);
    expect([created.status, deleted.status].sort()).toEqual(['fulfilled', 'rejected']);
    if (created.status === 'fulfilled') expect(await prisma().team.findUnique({ where: { id: team.id } })).not.toBeNull();
    else expect(await prisma().apiToken.count({ where: { name: 'late' } })).toBe(0);
  });
});
