import { randomBytes } from 'node:crypto';
import { test as base, expect, type APIRequestContext } from '@playwright/test';

// Fixtures that seed their own data in the run's database and on the real broker, and
// sign in over HTTP (next-auth's credentials endpoint), as a script would.

process.env.DATABASE_URL = process.env.E2E_DATABASE_URL;

const lib = {
  prisma: () => import('../../lib/db/prisma'),
  users: () => import('../../lib/users/create-user'),
  tokens: () => import('../../lib/tokens/create-api-token'),
  sources: () => import('../../lib/sources/add-sources'),
  removeSource: () => import('../../lib/sources/remove-source'),
  broker: () => import('../../lib/testing/test-broker'),
};

const SYSTEM = { kind: 'system', name: 'cli' } as const;

type TRole = 'viewer' | 'operator' | 'support_lead' | 'auditor' | 'admin';

export async function createOperator(role: TRole = 'operator') {
  const { createUser } = await lib.users();
  const email = `e2e-${randomBytes(4).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await createUser({ actor: SYSTEM, email, password, role });
  return { email, password };
}

export async function createToken(role: TRole = 'viewer') {
  const { createApiToken } = await lib.tokens();
  return createApiToken({ actor: SYSTEM, name: `e2e-${randomBytes(4).toString('hex')}`, role });
}

/** A team owning the given queues (team_ownerships), so scoped users and tokens of it reach their messages. */
export async function createOwningTeam(owns: { origins?: string[]; sources?: string[] }) {
  const { prisma } = await lib.prisma();
  const name = `e2e-team-${randomBytes(3).toString('hex')}`;
  const team = await prisma().team.create({ data: { name, queue: `${name}.inbox` } });
  const rows = [
    ...(owns.origins ?? []).map((queue) => ({ kind: 'origin', queue, teamId: team.id })),
    ...(owns.sources ?? []).map((queue) => ({ kind: 'source', queue, teamId: team.id })),
  ];
  if (rows.length) await prisma().teamOwnership.createMany({ data: rows });
  return { id: team.id, name };
}

/** A user limited to the queues of the given teams (users.team_scoped and team_members). */
export async function createScopedOperator(teamIds: string[], role: TRole = 'operator') {
  const { prisma } = await lib.prisma();
  const user = await createOperator(role);
  await prisma().user.update({
    where: { email: user.email },
    data: { teamScoped: true, memberships: { create: teamIds.map((teamId) => ({ teamId })) } },
  });
  return user;
}

/** A token limited to one team's queues (api_tokens.team_id). */
export async function createScopedToken(teamId: string, role: TRole = 'operator') {
  const { prisma } = await lib.prisma();
  const created = await createToken(role);
  await prisma().apiToken.update({ where: { id: created.id }, data: { teamId } });
  return created;
}

export async function signInOverHttp(request: APIRequestContext, user: { email: string; password: string }) {
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email: user.email, password: user.password, json: 'true' },
  });
  expect(response.ok(), `sign-in as ${user.email}`).toBe(true);
  const session = await (await request.get('/api/auth/session')).json();
  expect(session, 'a session after sign-in').toHaveProperty('uid');
}

export type TSeed = {
  body: Buffer | string;
  contentType?: string;
  contentEncoding?: string;
  messageId?: string;
  headers?: Record<string, unknown>;
  /** how the broker dead-letters it */
  reason?: 'rejected' | 'expired';
};

/**
 * A unique dead-letter topology on the real broker (work queue → DLX → DLQ registered
 * as a source), with the given messages dead-lettered by the broker itself. Returns
 * once the running worker has stored all of them.
 */
export async function seedDeadLetters(label: string, seeds: TSeed[]) {
  const { createTestBroker, waitFor } = await lib.broker();
  const { addSources } = await lib.sources();
  const { prisma } = await lib.prisma();
  const broker = await createTestBroker(`e2e-${label}`);
  const dlx = await broker.exchange('dlx', 'fanout');
  const dlq = await broker.queue('dlq');
  await broker.channel.bindQueue(dlq, dlx, '');
  const work = await broker.queue('work', { deadLetterExchange: dlx });
  await addSources({ actor: SYSTEM, queues: [dlq] });
  for (const s of seeds) {
    broker.channel.sendToQueue(work, Buffer.isBuffer(s.body) ? s.body : Buffer.from(s.body), {
      contentType: s.contentType, contentEncoding: s.contentEncoding, messageId: s.messageId, headers: s.headers,
      expiration: s.reason === 'expired' ? '1' : undefined,
    });
  }
  const toReject = seeds.filter((s) => s.reason !== 'expired').length;
  for (let i = 0; i < toReject; i++) {
    const m = await waitFor(async () => (await broker.channel.get(work, { noAck: false })) || undefined, { what: 'a message to reject' });
    broker.channel.nack(m, false, false);
  }
  await waitFor(async () => (await prisma().message.count({ where: { sourceQueue: dlq } })) >= seeds.length || undefined, {
    timeoutMs: 30_000, what: `${seeds.length} messages stored from ${dlq}`,
  });
  const ids = await prisma().message.findMany({ where: { sourceQueue: dlq }, select: { id: true, messageId: true }, orderBy: { id: 'asc' } });
  return {
    dlq,
    work,
    idOf: (messageId: string) => {
      const row = ids.find((r) => r.messageId === messageId);
      if (!row) throw new Error(`no stored message with message id ${messageId}`);
      return row.id.toString();
    },
    /** Unregisters the source before deleting its queue, so the worker does not report it missing. */
    cleanup: async () => {
      const { removeSource } = await lib.removeSource();
      await removeSource({ actor: SYSTEM, queue: dlq });
      await broker.cleanup();
    },
  };
}

export const test = base.extend<{ operator: { email: string; password: string }; admin: { email: string; password: string } }>({
  operator: async ({ page }, use) => {
    const user = await createOperator('operator');
    await signInOverHttp(page.request, user);
    await use(user);
  },
  admin: async ({ page }, use) => {
    const user = await createOperator('admin');
    await signInOverHttp(page.request, user);
    await use(user);
  },
});
export { expect };
