import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { runCli, type TCliRun } from '../testing/run-cli';
import { createTestDatabase } from '../testing/test-database';
import { findActiveUser, authenticateUser } from '../users/authenticate-user';

// Users, tokens limited to a team, team ownership and members, protected sources and the
// settings, through the real CLI: usage mistakes exit 2 and change nothing; the domain's
// refusals exit 1 with its message.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase('cli_access');
  await prisma().team.create({ data: { name: 'billing', queue: 'billing.fixes' } });
  await prisma().team.create({ data: { name: 'orders', queue: 'orders.fixes' } });
});
afterAll(async () => db?.drop());

// Each CLI run starts tsx, which takes seconds on a busy machine.
const SLOW = { timeout: 240_000 };
const cli = (args: string[], stdin?: string): Promise<TCliRun> => runCli(db.url, args, { stdin });
const ok = async (args: string[], stdin?: string) => {
  const run = await cli(args, stdin);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
};
const snapshot = async () => ({
  users: await prisma().user.findMany({ include: { memberships: true }, orderBy: { email: 'asc' } }),
  tokens: await prisma().apiToken.count(), owned: await prisma().teamOwnership.count(), audit: await prisma().auditEvent.count(),
});

describe('cli users', SLOW, () => {
  it('creates a user in teams, lists, updates, signs out, disables, enables and sets a password', async () => {
    expect(await ok(['users', 'create', '--email', 'Sam@Example.com', '--password', '-', '--role', 'operator', '--team', 'billing', '--team', 'orders', '--team-scoped'], 'a long enough password\n'))
      .toMatch(/Created user \S+ sam@example\.com \(operator, limited to billing, orders\)/);
    await ok(['users', 'create', '--email', 'root@example.com', '--password', 'root password here', '--role', 'admin']);

    const list = await ok(['users', 'list']);
    expect(list).toMatch(/EMAIL\s+NAME\s+ROLE\s+TEAMS\s+SCOPED\s+PROVIDER\s+STATUS\s+CREATED/);
    expect(list).toMatch(/sam@example\.com\s+-\s+operator\s+billing,orders\s+yes\s+credentials\s+enabled\s+\d{4}-/);
    expect(list).not.toMatch(/scrypt/);

    expect(await ok(['users', 'update', 'sam@example.com', '--role', 'support_lead', '--no-teams', '--all-teams', '--name', 'Sam'])).toMatch(/Updated user sam@example\.com \(support_lead\)/);
    const sam = await prisma().user.findUniqueOrThrow({ where: { email: 'sam@example.com' }, include: { memberships: true } });
    expect(sam).toMatchObject({ role: 'support_lead', name: 'Sam', teamScoped: false, memberships: [] });

    const signedIn = new Date(Date.now() - 1000);
    expect(await ok(['users', 'sign-out', 'sam@example.com'])).toMatch(/Signed sam@example\.com out everywhere/);
    expect(await findActiveUser(sam.id, signedIn)).toBeNull();
    expect(await ok(['users', 'disable', 'sam@example.com', '--reason', 'on leave'])).toMatch(/Disabled user sam@example\.com/);
    expect(await authenticateUser({ email: 'sam@example.com', password: 'a long enough password' })).toBeNull();
    expect(await ok(['users', 'enable', 'sam@example.com'])).toMatch(/Enabled user sam@example\.com/);
    expect(await ok(['users', 'set-password', 'sam@example.com', '--password', '-'], 'another long password\n')).toMatch(/Set the password of sam@example\.com/);
    expect(await authenticateUser({ email: 'sam@example.com', password: 'another long password' })).toMatchObject({ id: sam.id });

    const actions = await prisma().auditEvent.findMany({ where: { subject: `user:${sam.id}` }, orderBy: { id: 'asc' } });
    expect(actions.map((e) => e.action)).toEqual(['user.created', 'user.updated', 'user.sessions_revoked', 'user.disabled', 'user.enabled', 'user.password_changed']);
    expect(actions.every((e) => e.actor.startsWith('system:cli'))).toBe(true);
  });

  it('refuses to disable the last enabled admin with exit 1 and the reason', async () => {
    const before = await snapshot();
    const run = await cli(['users', 'disable', 'root@example.com']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: There must be at least one enabled admin: root@example\.com is the last one/m);
    const unknown = await cli(['users', 'update', 'sam@example.com', '--team', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No team named "nope"/);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    [['users', 'update', 'sam@example.com'], /nothing to change/],
    [['users', 'update', 'sam@example.com', '--team', 'billing', '--no-teams'], /give --team or --no-teams, not both/],
    [['users', 'update', 'sam@example.com', '--team-scoped', '--all-teams'], /give --team-scoped or --all-teams, not both/],
    [['users', 'set-password', 'sam@example.com'], /missing required flag --password/],
    [['users', 'update', 'sam@example.com', '--team-scoped=yes'], /team-scoped/],
  ])('refuses %j with exit 2 and changes nothing', async (args, message) => {
    const before = await snapshot();
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });
});

describe('cli tokens, teams, sources and settings', SLOW, () => {
  it('creates a token limited to a team and lists the team', async () => {
    expect(await ok(['tokens', 'create', '--name', 'billing-ci', '--role', 'operator', '--team', 'billing'])).toMatch(/\(operator, limited to team billing\)/);
    const token = await prisma().apiToken.findFirstOrThrow({ where: { name: 'billing-ci' }, include: { team: true } });
    expect(token.team?.name).toBe('billing');
    expect(await ok(['tokens', 'list'])).toMatch(new RegExp(`${token.id}\\s+billing-ci\\s+operator\\s+billing\\s+${token.prefix}`));
    const unknown = await cli(['tokens', 'create', '--name', 'x', '--role', 'viewer', '--team', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No team named "nobody"/);
  });

  it('sets the queues a team owns and its members; a queue another team owns is refused, naming it', async () => {
    expect(await ok(['teams', 'own', 'billing', '--origin', 'invoices', '--origin', 'payments', '--source', 'billing.dlq']))
      .toMatch(/Team billing owns origin:invoices,origin:payments,source:billing\.dlq/);
    const taken = await cli(['teams', 'own', 'orders', '--origin', 'invoices']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/Already owned by another team: origin invoices \(team billing\)/);
    expect(await ok(['teams', 'members', 'billing', '--user', 'sam@example.com', '--user', 'root@example.com'])).toMatch(/members: root@example\.com, sam@example\.com/);
    expect(await ok(['teams', 'list'])).toMatch(/billing\s+queue billing\.fixes\s+-\s+\S+\s+origin:invoices,origin:payments,source:billing\.dlq\s+root@example\.com,sam@example\.com/);
    expect(await ok(['teams', 'own', 'billing', '--none'])).toMatch(/Team billing owns no queues/);
    expect(await ok(['teams', 'members', 'billing', '--none'])).toMatch(/members: none/);
    for (const [args, message] of [
      [['teams', 'own', 'billing'], /give --origin Q or --source Q/],
      [['teams', 'own', 'billing', '--origin', 'q', '--none'], /not both/],
      [['teams', 'members', 'billing'], /give --user EMAIL/],
    ] as const) {
      const run = await cli([...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('protects and unprotects a source, and shows it in the list', async () => {
    await ok(['sources', 'add', 'cli-access.dlq']);
    expect(await ok(['sources', 'protect', 'cli-access.dlq'])).toMatch(/Source cli-access\.dlq is protected/);
    expect(await ok(['sources', 'list'])).toMatch(/cli-access\.dlq\s+.*\s+yes$/m);
    expect(await ok(['sources', 'unprotect', 'cli-access.dlq'])).toMatch(/is not protected/);
    const missing = await cli(['sources', 'protect', 'nope.dlq']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No source named "nope\.dlq"/);
    expect(await prisma().auditEvent.count({ where: { action: 'source.updated', subject: 'source:cli-access.dlq' } })).toBe(2);
  });

  it('shows and sets the approval threshold', async () => {
    expect(await ok(['settings', 'show'])).toMatch(/approval-threshold\s+100\b/);
    expect(await ok(['settings', 'set', '--approval-threshold', '20'])).toMatch(/approval-threshold\s+20\b[\s\S]*by system:cli/);
    const bad = await cli(['settings', 'set', '--approval-threshold', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--approval-threshold must be a positive whole number/);
    const none = await cli(['settings', 'set']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to change/);
    expect((await prisma().settings.findFirstOrThrow()).approvalThreshold).toBe(20);
  });
});
