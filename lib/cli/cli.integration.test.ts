import { hostname, userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { runCli, type TCliRun } from '../testing/run-cli';
import { createTestDatabase } from '../testing/test-database';
import { hashToken } from '../tokens/token-hash';

// The real CLI in a child process against a throwaway database: exit codes, what it
// prints, and what it leaves in the database (including the audit trail).


let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  db = await createTestDatabase('cli');
});

afterAll(async () => {
  await db?.drop();
});

function cli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<TCliRun> {
  return runCli(db.url, args, { env, stdin });
}

const auditCount = () => prisma().auditEvent.count();
const CLI_LABEL = `system:cli (${userInfo().username}@${hostname()})`;

describe('cli help and usage errors', () => {
  it('prints usage listing every command for help, --help and no arguments', async () => {
    for (const args of [['help'], ['--help'], []]) {
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(0);
      for (const command of ['users create', 'tokens create', 'tokens revoke', 'tokens list', 'sources add', 'sources remove', 'sources list']) {
        expect(run.stdout).toContain(command);
      }
    }
  });

  it('rejects an unknown command with exit 2 and a hint to run help', async () => {
    const run = await cli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "frobnicate"/);
    expect(run.stderr).toMatch(/npm run cli -- help/);
    expect(run.stdout).toBe('');
  });

  it('rejects an unknown flag with exit 2, naming it, and changes nothing', async () => {
    const before = await auditCount();
    const run = await cli(['sources', 'add', 'q.never', '--force']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--force/);
    expect(run.stderr).toMatch(/npm run cli -- help/);
    expect(await prisma().source.findUnique({ where: { queue: 'q.never' } })).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it('rejects a missing required flag, a repeated flag and a bad number with exit 2', async () => {
    const missing = await cli(['tokens', 'create', '--name', 'no-role']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required flag --role/);
    const twice = await cli(['tokens', 'create', '--name', 'twice', '--role', 'viewer', '--role', 'admin']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--role is given more than once/);
    const badNumber = await cli(['tokens', 'create', '--name', 'bad-days', '--role', 'viewer', '--expires-in-days', 'soon']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/--expires-in-days must be a positive whole number/);
    expect(await prisma().apiToken.count({ where: { name: { in: ['no-role', 'twice', 'bad-days'] } } })).toBe(0);
  });

  it('names the variable and exits 2 when the environment is invalid', async () => {
    const run = await cli(['sources', 'list'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/DATABASE_URL: must be a postgresql:\/\/ URL/);
  });

  it('exits 1 with a clear message when the database cannot be reached, without printing the password', async () => {
    const run = await cli(['sources', 'list'], { DATABASE_URL: 'postgresql://postgres:s3cret@127.0.0.1:1/nowhere' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the database/);
    expect(run.stderr).not.toContain('s3cret');
  });
});

describe('cli users', () => {
  it('reads the password from standard input with --password -', async () => {
    const created = await cli(['users', 'create', '--email', 'stdin@example.com', '--password', '-', '--role', 'viewer'], {}, 'piped secret phrase\n');
    expect(created.code, created.stderr).toBe(0);
    const { authenticateUser } = await import('../users/authenticate-user');
    expect(await authenticateUser({ email: 'stdin@example.com', password: 'piped secret phrase' })).toMatchObject({ role: 'viewer' });
  });

  it('creates a user, audits it, and refuses a second user with the same email', async () => {
    const created = await cli(['users', 'create', '--email', 'Ops.Lead@Example.com', '--password', 'correct horse battery', '--role', 'operator', '--name', 'Ops Lead']);
    expect(created.code, created.stderr).toBe(0);
    const user = await prisma().user.findUniqueOrThrow({ where: { email: 'ops.lead@example.com' }, omit: { passwordHash: false } });
    expect(created.stdout).toContain(user.id);
    expect(created.stdout).toContain('ops.lead@example.com');
    expect(created.stdout).toContain('operator');
    expect(user).toMatchObject({ role: 'operator', name: 'Ops Lead' });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain('correct horse battery');
    expect(await prisma().auditEvent.findMany({ where: { subject: `user:${user.id}` } })).toEqual([
      expect.objectContaining({ actor: CLI_LABEL, action: 'user.created' }),
    ]);

    const again = await cli(['users', 'create', '--email', 'ops.lead@example.com', '--password', 'another long password', '--role', 'admin']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: .*already exists/m);
    expect(await prisma().user.count({ where: { email: 'ops.lead@example.com' } })).toBe(1);
  });

  it('refuses a too-short password and an unknown role, creating nothing', async () => {
    const before = await auditCount();
    const short = await cli(['users', 'create', '--email', 'short@example.com', '--password', 'short', '--role', 'viewer']);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password must be at least 12 characters/);
    const badRole = await cli(['users', 'create', '--email', 'root@example.com', '--password', 'long enough password', '--role', 'root']);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/role must be one of viewer, operator, support_lead, auditor, admin/);
    expect(await prisma().user.count({ where: { email: { in: ['short@example.com', 'root@example.com'] } } })).toBe(0);
    expect(await auditCount()).toBe(before);
  });
});

describe('cli tokens', () => {
  it('prints a new token once and stores only its hash', async () => {
    const run = await cli(['tokens', 'create', '--name', 'ci-deploy', '--role', 'viewer', '--expires-in-days', '30']);
    expect(run.code, run.stderr).toBe(0);
    const token = run.stdout.match(/\bdlq_[A-Za-z0-9_-]{43}\b/)?.[0];
    expect(token).toBeDefined();
    expect(run.stdout).toMatch(/will not be shown again/);

    const row = await prisma().apiToken.findFirstOrThrow({ where: { name: 'ci-deploy' }, omit: { tokenHash: false } });
    expect(row.tokenHash).toBe(hashToken(token!));
    expect(row.prefix).toBe(token!.slice(0, 10));
    expect(row.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    // Whatever columns exist, none holds the clear token.
    const rows = await prisma().$queryRaw<unknown[]>`SELECT * FROM api_tokens`;
    expect(JSON.stringify(rows)).not.toContain(token!);
    expect(JSON.stringify(rows)).toContain(row.tokenHash);

    const list = await cli(['tokens', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/ID\s+NAME\s+ROLE\s+TEAM\s+PREFIX\s+CREATED\s+EXPIRES\s+REVOKED\s+LAST USED/);
    expect(list.stdout).toContain(row.id);
    expect(list.stdout).toContain(row.prefix);
    expect(list.stdout).not.toContain(token!);
    expect(list.stdout).not.toContain(row.tokenHash);
  });

  it('revokes a token by name with a reason, and refuses to revoke it again', async () => {
    const created = await cli(['tokens', 'create', '--name', 'to-revoke', '--role', 'admin']);
    expect(created.code, created.stderr).toBe(0);
    const { id } = await prisma().apiToken.findFirstOrThrow({ where: { name: 'to-revoke' } });

    const revoked = await cli(['tokens', 'revoke', 'to-revoke', '--reason', 'leaked in a CI log']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(id);
    expect((await prisma().apiToken.findUniqueOrThrow({ where: { id } })).revokedAt).toBeInstanceOf(Date);
    expect(await prisma().auditEvent.findMany({ where: { subject: `token:${id}` }, orderBy: { id: 'asc' } })).toEqual([
      expect.objectContaining({ action: 'token.created', actor: CLI_LABEL }),
      expect.objectContaining({ action: 'token.revoked', actor: CLI_LABEL, reason: 'leaked in a CI log' }),
    ]);

    const byName = await cli(['tokens', 'revoke', 'to-revoke']);
    expect(byName.code).toBe(1);
    expect(byName.stderr).toMatch(/^error: No active token "to-revoke"/m);
    const byId = await cli(['tokens', 'revoke', id]);
    expect(byId.code).toBe(1);
    expect(byId.stderr).toMatch(/already revoked/);
    expect(await prisma().auditEvent.count({ where: { subject: `token:${id}`, action: 'token.revoked' } })).toBe(1);

    const list = await cli(['tokens', 'list']);
    const line = list.stdout.split('\n').find((l) => l.startsWith(id));
    expect(line).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+-\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+-$/); // no expiry, revoked, never used
  });
});

describe('cli sources', () => {
  it('adds, lists and removes sources, auditing each change', async () => {
    const added = await cli(['sources', 'add', 'cli.orders.dlq', 'cli.billing.dlq']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Added 2 source\(s\): cli\.orders\.dlq, cli\.billing\.dlq/);

    const again = await cli(['sources', 'add', 'cli.orders.dlq']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Already sources, unchanged: cli\.orders\.dlq/);

    const list = await cli(['sources', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/QUEUE\s+WAITING\s+CONSUMERS\s+STORED\s+UNRESOLVED\s+LAST INGESTED\s+LAST ERROR/);
    // Not declared on the broker in this test: the broker's column says so.
    expect(list.stdout).toMatch(/cli\.billing\.dlq\s+missing\s+-\s+0\s+0\s+-\s+-/);
    expect(list.stdout).toMatch(/cli\.orders\.dlq\s+missing\s+-\s+0\s+0\s+-\s+-/);

    const removed = await cli(['sources', 'remove', 'cli.orders.dlq', '--reason', 'team retired the service']);
    expect(removed.code, removed.stderr).toBe(0);
    const missing = await cli(['sources', 'remove', 'cli.orders.dlq']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: No source named "cli\.orders\.dlq"/m);

    expect((await prisma().source.findMany({ where: { queue: { startsWith: 'cli.' } } })).map((s) => s.queue)).toEqual(['cli.billing.dlq']);
    const events = await prisma().auditEvent.findMany({ where: { subject: { startsWith: 'source:cli.' } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.actor, e.action, e.subject, e.reason])).toEqual([
      [CLI_LABEL, 'source.added', 'source:cli.orders.dlq', null],
      [CLI_LABEL, 'source.added', 'source:cli.billing.dlq', null],
      [CLI_LABEL, 'source.removed', 'source:cli.orders.dlq', 'team retired the service'],
    ]);
  });

  it('refuses an invalid queue name with exit 1 and adds none of the batch', async () => {
    const run = await cli(['sources', 'add', 'cli.fine.dlq', ' ']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Invalid queue name/);
    expect(await prisma().source.findUnique({ where: { queue: 'cli.fine.dlq' } })).toBeNull();
  });
});
