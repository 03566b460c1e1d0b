import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect, request as newRequest, type APIRequestContext, type APIResponse } from '@playwright/test';
import { hashPassword } from '../../lib/auth/password';
import { createDatabaseIfMissing, dropDatabase, migrate } from '../../lib/db/migrate';
import { createPrisma } from '../../lib/db/prisma';
import { diffSnapshots, openDbSnapshots, type TDbSnapshot } from '../../lib/testing/db-snapshot';
import { recordHostile } from '../../lib/testing/faults/report';
import { generateToken, hashToken } from '../../lib/tokens/token-hash';
import { freePort } from '../../lib/testing/free-port';

// The hostile HTTP specs measure "changed nothing" by comparing the whole database before
// and after each request. The suite's shared server and database take writes from every
// other spec running beside these, so the comparison needs a console of its own: the same
// build (`next start`), its own database, and no worker (nothing writes on a timer). The
// data it needs is written straight into that database.

const BASE_SECRET = 'hostile-http-secret-hostile-http-secret-0123';


async function waitUntilUp(url: string, child: ChildProcess, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export type THostileConsole = Awaited<ReturnType<typeof startHostileConsole>>;

/** A console on its own port and database; stop() ends it and drops the database. */
export async function startHostileConsole() {
  const admin = new URL(process.env.E2E_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  admin.pathname = `/dlq_e2e_hostile_${randomBytes(4).toString('hex')}`;
  const databaseUrl = admin.toString();
  await createDatabaseIfMissing(databaseUrl);
  await migrate({ databaseUrl });
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn('node_modules/.bin/next', ['start', '-p', String(port), '-H', '127.0.0.1'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      RABBITMQ_URL: process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
      DLQ_SOURCES: '',
      NEXTAUTH_URL: baseURL,
      NEXTAUTH_SECRET: BASE_SECRET,
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'error',
      OIDC_ISSUER: '', OIDC_CLIENT_ID: '', OIDC_CLIENT_SECRET: '', OIDC_ROLE_MAP: '', OIDC_TEAM_MAP: '',
    },
  });
  const db = createPrisma(databaseUrl);
  try {
    await waitUntilUp(`${baseURL}/api/v1/health`, child);
  } catch (error) {
    child.kill('SIGKILL');
    await db.$disconnect();
    await dropDatabase(databaseUrl);
    throw error;
  }
  return {
    baseURL,
    databaseUrl,
    db,
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 8000).unref();
      });
      await db.$disconnect();
      await db.pool.end();
      await dropDatabase(databaseUrl);
    },
  };
}

type TRole = 'viewer' | 'operator' | 'support_lead' | 'auditor' | 'admin';

/** A bearer-token request context, optionally limited to one team. */
export async function tokenContext(server: THostileConsole, role: TRole, teamId?: string): Promise<APIRequestContext & { authorization: string }> {
  const token = generateToken();
  // last_used_at is informational and written at most once a minute: the snapshots leave it out.
  await server.db.apiToken.create({ data: { name: `hostile-${randomBytes(3).toString('hex')}`, tokenHash: hashToken(token), prefix: token.slice(0, 8), role, teamId } });
  const authorization = `Bearer ${token}`;
  return Object.assign(await newRequest.newContext({ baseURL: server.baseURL, extraHTTPHeaders: { authorization } }), { authorization });
}

/** A signed-in cookie session that sends no Origin of its own (each request says where it claims to come from). */
export async function sessionContext(server: THostileConsole, role: TRole): Promise<APIRequestContext> {
  const email = `hostile-${randomBytes(4).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await server.db.user.create({ data: { email, passwordHash: await hashPassword(password), role } });
  const ctx = await newRequest.newContext({ baseURL: server.baseURL });
  const { csrfToken } = (await (await ctx.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const signIn = await ctx.post('/api/auth/callback/credentials', { form: { csrfToken, email, password, json: 'true' } });
  expect(signIn.ok(), `sign-in as ${email}`).toBe(true);
  expect(await (await ctx.get('/api/auth/session')).json(), 'a session after sign-in').toHaveProperty('uid');
  return ctx;
}

/** A stored dead letter, as the worker would have written it. */
export async function storeMessage(server: THostileConsole, { searchText, ...over }: { originQueue: string; status?: 'new' | 'discarded'; searchText?: string }) {
  const row = await server.db.message.create({
    data: {
      sourceQueue: 'hostile.dlq', fingerprint: randomBytes(8), reason: 'rejected', routingKeys: [over.originQueue], deathCount: 1,
      size: 7, isLarge: false, body: Buffer.from('{"n":1}'), contentType: 'application/json', properties: {}, headers: {}, xDeath: [],
      deliveryExchange: '', deliveryRoutingKey: 'hostile.dlq', search: { create: { searchText: searchText ?? 'hostile order payment', bodyJson: { n: 1 } } }, ...over,
    },
    select: { id: true },
  });
  return row.id.toString();
}

export type TExpected = {
  /** The statuses that count as a clear refusal (or, for a read, a clear answer). */
  status: number[];
  /** What the JSON error's message must say (the field, the problem), when the answer is an error. */
  message?: RegExp;
};

/** An answer read some other way than through Playwright (a raw socket, a chunked upload). */
export type TRawAnswer = { status: number; text: string };

export type TProbeResult = { status: number; outcome: string; changes: string[]; problem: string | null };

/**
 * Sends hostile requests one at a time and records each as a row of the hostile-input
 * report, with the database compared after it against the state before it. Problems are
 * collected, not thrown, so one run names every route that misbehaves.
 */
export async function openProbe(server: THostileConsole) {
  const snapshots = await openDbSnapshots(server.databaseUrl, { ignoreColumns: { api_tokens: ['last_used_at'] } });
  let last: TDbSnapshot = await snapshots.take();
  const problems: string[] = [];
  return {
    problems,
    /** Re-reads the database: for set-up done between probes. */
    async settle() {
      last = await snapshots.take();
    },
    async send(label: string, send: () => Promise<APIResponse | TRawAnswer>, expected: TExpected, { changes: allowed = false }: { changes?: boolean } = {}): Promise<TProbeResult> {
      let status = 0;
      let outcome: string;
      let problem: string | null = null;
      try {
        const response = await send();
        status = typeof response.status === 'number' ? response.status : response.status();
        const text = 'text' in response && typeof response.text === 'string' ? response.text : await (response as APIResponse).text();
        const json = (() => { try { return JSON.parse(text) as { error?: { code?: string; message?: string } }; } catch { return null; } })();
        const error = json?.error;
        outcome = error ? `${status} ${error.code}: ${error.message}` : `${status}${json ? ' JSON' : ` ${text.slice(0, 60)}`}`;
        if (!expected.status.includes(status)) problem = `got ${status}, expected ${expected.status.join(' or ')} (${outcome.slice(0, 200)})`;
        else if (status >= 400 && (typeof error?.code !== 'string' || typeof error?.message !== 'string')) problem = `a ${status} without a JSON error: ${text.slice(0, 120)}`;
        else if (status >= 400 && expected.message && !expected.message.test(error?.message ?? '')) problem = `the error does not say ${expected.message}: ${outcome.slice(0, 200)}`;
      } catch (error) {
        outcome = `no answer: ${(error as Error).message.split('\n')[0]}`;
        problem = outcome;
      }
      const now = await snapshots.take();
      const changes = diffSnapshots(last, now);
      last = now;
      if (changes.length > 0 && !allowed) problem = `${problem ? `${problem}; ` : ''}changed the database: ${changes.join(', ')}`;
      if (problem) problems.push(`${label}: ${problem}`);
      await recordHostile({ area: 'http', case: label, outcome: outcome.slice(0, 300), changedNothing: changes.length === 0 });
      return { status, outcome, changes, problem };
    },
    close: () => snapshots.close(),
  };
}
