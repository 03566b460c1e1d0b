import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { discoverApiRoutes } from '../support/api-routes';
import { expect, request as newRequest, test, type APIRequestContext } from '@playwright/test';
import {
  createOperator, createOwningTeam, createScopedOperator, createScopedToken, createToken, seedDeadLetters, signInOverHttp,
} from '../support/fixtures';

// Every API route × method × caller against the table below, which says what each role
// may do. It is written out by hand, not derived from lib/permissions/roles.ts, so a change
// to the role table or to a route's permission shows up here as a failure to look at.
// The routes are read from app/api/v1/**/route.ts when the test runs: a route or method
// missing from the table fails, and so does a table entry without a route.
//
// Callers: anonymous; each role with a session cookie and with a bearer token; and for the
// routes of one message, an operator limited to team A (session and token) and a support
// lead's token limited to team A, against a message team A owns by origin, one it owns by
// source queue, and one only team B owns.
// Requests carry harmless bodies (empty, or a stale version): the permission check comes
// before validation, so 'deny' is a 403 and 'allow' is whatever follows (400, 404, 409, 2xx),
// never 401, 403 or a 5xx. Out of scope is a 404, as for a message that does not exist.

const ROLES = ['viewer', 'operator', 'support_lead', 'auditor', 'admin'] as const;
type TRole = (typeof ROLES)[number];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type TMethod = (typeof METHODS)[number];

type TRule = {
  /** The roles that get past the permission check; everyone else gets 403. 'public': no credentials needed. */
  allow: readonly TRole[] | 'public';
  /**
   * A route of one message, or of one approval request (about a message): team scope applies,
   * the own team reaches it and another team's is a 404.
   */
  scoped?: 'message' | 'approval';
  /** Request headers, e.g. a malformed Idempotency-Key that stops an allowed bulk action after its permission check. */
  headers?: Record<string, string>;
  /** A body that an allowed caller's request stops on (validation, stale version): it never changes anything. */
  body?: unknown;
  /** A query string, so an allowed caller gets past validation to the real answer. */
  query?: string;
  /** Values for the route's [params] other than a message id. */
  params?: Record<string, string>;
};

const ALL = ROLES;
const ADMIN = ['admin'] as const;
/** Reads the audit record and sensitive values; acts on nothing. */
const AUDITORS = ['auditor', 'admin'] as const;
/** Edit, replay, discard and restore: on call. */
const OPERATORS = ['operator', 'admin'] as const;
/** Redirect to a team, and keep team ownership current. */
const LEADS = ['support_lead', 'admin'] as const;

const STALE = 999_999;
const NO_SUCH_UUID = '00000000-0000-4000-8000-000000000000';

const EXPECTED: Record<string, Partial<Record<TMethod, TRule>>> = {
  health: { GET: { allow: 'public' } },
  'health/ready': { GET: { allow: 'public' } },
  me: { GET: { allow: ALL } },
  messages: { GET: { allow: ALL } },
  'messages/counts': { GET: { allow: ALL } },
  'messages/[id]': { GET: { allow: ALL, scoped: 'message' } },
  'messages/[id]/body': { GET: { allow: ALL, scoped: 'message' } },
  'messages/[id]/timeline': { GET: { allow: ALL, scoped: 'message' } },
  'messages/[id]/revisions/[number]': { GET: { allow: ALL, scoped: 'message', params: { number: '0' } } },
  'messages/[id]/revisions': {
    POST: { allow: OPERATORS, scoped: 'message', body: { version: STALE, body: { encoding: 'utf8', data: '{}' }, headers: {} } },
  },
  'messages/[id]/replay': { POST: { allow: OPERATORS, scoped: 'message', body: { version: STALE } } },
  'messages/[id]/redirect': { POST: { allow: LEADS, scoped: 'message', body: { version: STALE, allTeams: true } } },
  'messages/[id]/discard': { POST: { allow: OPERATORS, scoped: 'message', body: { version: STALE } } },
  'messages/[id]/restore': { POST: { allow: OPERATORS, scoped: 'message', body: { version: STALE } } },
  // The wrapper lets every reader in and runBulkAction checks the action's permission; a
  // malformed Idempotency-Key is refused right after that check, before anything is touched.
  'messages/bulk': { POST: { allow: OPERATORS, body: { action: 'discard', ids: ['1'] }, headers: { 'idempotency-key': 'not a valid key' } } },
  // Four-eyes requests: the target is an already rejected request to discard one message, so
  // whoever may decide gets a 409 and nothing runs. Deciding needs the action's permission
  // (here messages:discard); cancelling someone else's request needs an admin.
  approvals: { GET: { allow: ALL } },
  'approvals/[id]': { GET: { allow: ALL, scoped: 'approval' } },
  'approvals/[id]/approve': { POST: { allow: OPERATORS, scoped: 'approval', body: { reason: 'authorization matrix' } } },
  'approvals/[id]/reject': { POST: { allow: OPERATORS, scoped: 'approval', body: { reason: 'authorization matrix' } } },
  'approvals/[id]/cancel': { POST: { allow: ADMIN, scoped: 'approval', body: { reason: 'authorization matrix' } } },
  destinations: { GET: { allow: ALL } },
  sources: { GET: { allow: ALL }, POST: { allow: ADMIN } },
  audit: { GET: { allow: AUDITORS } },
  'audit/[id]': { GET: { allow: AUDITORS } },
  'audit/export': { GET: { allow: AUDITORS, query: 'format=jsonl' } },
  // Reading the chain's state is audit:read; recomputing it is audit:verify. Verifying appends an audit.verified event: the chain only grows, nothing else changes.
  'audit/verify': { GET: { allow: AUDITORS }, POST: { allow: AUDITORS } },
  teams: { GET: { allow: ALL }, POST: { allow: ADMIN } },
  'teams/[id]': { PATCH: { allow: ADMIN }, DELETE: { allow: ADMIN } },
  // Operators list sandboxes to pick one for a replay; viewers and the rest may not.
  sandboxes: { GET: { allow: OPERATORS }, POST: { allow: ADMIN } },
  'sandboxes/[id]': { DELETE: { allow: ADMIN } },
  contracts: { GET: { allow: ALL }, PUT: { allow: ADMIN }, DELETE: { allow: ADMIN } },
  'sources/[queue]': { PATCH: { allow: ADMIN }, DELETE: { allow: ADMIN } },
  'teams/[id]/members': { PUT: { allow: LEADS } },
  'teams/[id]/ownership': { PUT: { allow: LEADS } },
  // Auditors read the rules (to know what a viewer's answers hide); only admins change them.
  'redaction-rules': { GET: { allow: AUDITORS }, POST: { allow: ADMIN } },
  'redaction-rules/[id]': { DELETE: { allow: ADMIN } },
  // Everyone reads the approval threshold (the UI says when an action will need a second person).
  settings: { GET: { allow: ALL }, PATCH: { allow: ADMIN } },
  tokens: { GET: { allow: ADMIN }, POST: { allow: ADMIN } },
  'tokens/[id]': { DELETE: { allow: ADMIN } },
  users: { GET: { allow: AUDITORS }, POST: { allow: ADMIN } },
  'users/[id]': { GET: { allow: AUDITORS }, PATCH: { allow: ADMIN } },
  'users/[id]/disable': { POST: { allow: ADMIN } },
  'users/[id]/enable': { POST: { allow: ADMIN } },
  'users/[id]/password': { PUT: { allow: ADMIN } },
  'users/[id]/sessions': { DELETE: { allow: ADMIN } },
  // Failure groups, category rules and runbooks.
  groups: { GET: { allow: ALL } },
  'groups/[id]': { GET: { allow: ALL } },
  // Auditors read the category rules; only admins change them or set runbooks.
  'failure-category-rules': { GET: { allow: AUDITORS }, POST: { allow: ADMIN } },
  'failure-category-rules/[id]': { DELETE: { allow: ADMIN } },
  runbooks: { PUT: { allow: ADMIN }, DELETE: { allow: ADMIN } },
  // Bulk jobs.
  // Everyone reads jobs. Creating needs the action's permission (here messages:discard) and stops on a malformed
  // Idempotency-Key right after that check; pause/resume/cancel need the permission of some action before the job
  // is looked up (then its own). No job has the target id: an allowed caller gets a 404 and nothing changes.
  jobs: { GET: { allow: ALL }, POST: { allow: OPERATORS, body: { action: 'discard', selection: { ids: ['1'] } }, headers: { 'idempotency-key': 'not a valid key' } } },
  'jobs/[id]': { GET: { allow: ALL } },
  'jobs/[id]/items': { GET: { allow: ALL } },
  'jobs/[id]/pause': { POST: { allow: ['operator', 'support_lead', 'admin'], body: {} } },
  'jobs/[id]/resume': { POST: { allow: ['operator', 'support_lead', 'admin'], body: {} } },
  'jobs/[id]/cancel': { POST: { allow: ['operator', 'support_lead', 'admin'], body: {} } },
  // Ownership rules.
  // Everyone reads which team gets what; support leads and admins change rules and preview them.
  'ownership-rules': { GET: { allow: ALL }, POST: { allow: LEADS } },
  'ownership-rules/[id]': { PATCH: { allow: LEADS }, DELETE: { allow: LEADS } },
  'ownership-rules/preview': { POST: { allow: LEADS } },
  // Retention.
  // Auditors read how long what is kept; only admins change it.
  retention: { GET: { allow: AUDITORS }, PUT: { allow: ADMIN }, DELETE: { allow: ADMIN } },
  // Dashboard.
  // Every reader sees the dashboard (team scope narrows its numbers).
  dashboard: { GET: { allow: ALL, query: 'range=24h&by=origin' } },
  // Console status.
  // Every reader sees the banner's status: what is down and since when (no queue, host or message).
  status: { GET: { allow: ALL } },
  // Alerts.
  // Everyone reads alerts and rules (team scope narrows them); operators and admins change rules. The target rule does not exist: 404, nothing changes.
  alerts: { GET: { allow: ALL } },
  'alert-rules': { GET: { allow: ALL }, POST: { allow: OPERATORS, body: { name: '' } } },
  'alert-rules/[id]': { PATCH: { allow: OPERATORS, body: { version: STALE, name: 'x' } }, DELETE: { allow: OPERATORS, body: { version: STALE } } },
};

/** route key ('messages/[id]/replay') → the methods its route.ts exports. */
function discoverRoutes(): Map<string, TMethod[]> {
  return new Map([...discoverApiRoutes()].map(([route, methods]) => [route, methods.filter((m): m is TMethod => (METHODS as readonly string[]).includes(m))]));
}

type TTarget = 'own-origin' | 'own-source' | 'other-team';
type TCaller = { label: string; role: TRole | null; ctx: APIRequestContext; scopedTo?: 'team-a' };
type TOutcome = { route: string; method: TMethod; caller: string; target?: TTarget; status: number; expected: string; ok: boolean };

test('the table names every route and method there is, and nothing else', () => {
  const found = discoverRoutes();
  const missing: string[] = [];
  for (const [route, methods] of found) for (const m of methods) if (!EXPECTED[route]?.[m]) missing.push(`${m} /api/v1/${route}`);
  const stale: string[] = [];
  for (const [route, rules] of Object.entries(EXPECTED)) {
    for (const m of Object.keys(rules)) if (!found.get(route)?.includes(m as TMethod)) stale.push(`${m} /api/v1/${route}`);
  }
  expect(missing, 'routes with no entry in EXPECTED: add what each role may do').toEqual([]);
  expect(stale, 'EXPECTED entries with no route: remove them').toEqual([]);
});

const baseURL = process.env.E2E_BASE_URL!;
const contexts: APIRequestContext[] = [];
const seeds: Awaited<ReturnType<typeof seedDeadLetters>>[] = [];
let messageIds: Record<TTarget, string>;
let approvalIds: Record<TTarget, string>;
let callers: TCaller[] = [];
let scopedCallers: TCaller[] = [];

async function context(headers: Record<string, string> = {}) {
  const ctx = await newRequest.newContext({ baseURL, extraHTTPHeaders: headers });
  contexts.push(ctx);
  return ctx;
}

/** A cookie session: state-changing requests carry the same-origin Origin a browser sends (CSRF check). */
async function sessionCaller(label: string, role: TRole, user: { email: string; password: string }): Promise<TCaller> {
  const ctx = await context({ origin: baseURL });
  await signInOverHttp(ctx, user);
  return { label, role, ctx };
}

/** A four-eyes request someone else made and someone else already rejected: deciding it again changes nothing. */
async function rejectedDiscardRequest(messageId: string): Promise<string> {
  const { prisma } = await import('../../lib/db/prisma');
  const row = await prisma().approvalRequest.create({
    data: {
      id: randomUUID(), kind: 'discard', status: 'rejected', input: {}, messageIds: [BigInt(messageId)], grounds: ['threshold'],
      requestedBy: 'user:requester@example.com', requestedByKey: `user:${randomUUID()}`,
      decidedBy: 'user:reviewer@example.com', decidedByKey: `user:${randomUUID()}`, decidedAt: new Date(), decisionReason: 'set up by the authorization matrix',
    },
  });
  return row.id;
}

function urlOf(route: string, rule: TRule, target: TTarget): string {
  const filled = route.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    if (name === 'id' && route.startsWith('messages/')) return messageIds[target];
    if (name === 'id' && route.startsWith('approvals/')) return approvalIds[target];
    if (rule.params?.[name] !== undefined) return encodeURIComponent(rule.params[name]);
    if (name === 'queue') return 'authz.no-such-queue';
    return NO_SUCH_UUID;
  });
  return `/api/v1/${filled}${rule.query ? `?${rule.query}` : ''}`;
}

/** What a status means for this caller: the expectation in words, and whether it was met. */
function judge(rule: TRule, caller: TCaller, target: TTarget | undefined, status: number): { expected: string; ok: boolean } {
  if (status >= 500) return { expected: 'no server error', ok: false };
  if (rule.allow === 'public') return { expected: 'allow', ok: status !== 401 && status !== 403 };
  if (caller.role === null) return { expected: 'deny 401', ok: status === 401 };
  // Another team's message or request may be refused as missing before the permission is weighed.
  if (!rule.allow.includes(caller.role)) {
    return target === 'other-team' ? { expected: 'deny 403 or 404', ok: status === 403 || status === 404 } : { expected: 'deny 403', ok: status === 403 };
  }
  if (target === 'other-team') return { expected: 'out of scope 404', ok: status === 404 };
  if (target) return { expected: 'allow (not 401/403/404)', ok: ![401, 403, 404].includes(status) };
  return { expected: 'allow (not 401/403)', ok: status !== 401 && status !== 403 };
}

/** Runs the jobs a few at a time: fast, without queueing hundreds of requests on a 2-core machine. */
async function inPool<T>(jobs: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  }));
  return results;
}

function summarise(outcomes: TOutcome[]): string {
  const columns = [...new Set(outcomes.map((o) => (o.target ? `${o.caller} → ${o.target}` : o.caller)))];
  const rows = new Map<string, Map<string, TOutcome>>();
  for (const o of outcomes) {
    const key = `${o.method} /api/v1/${o.route}`;
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key)!.set(o.target ? `${o.caller} → ${o.target}` : o.caller, o);
  }
  const lines = [`| route | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`];
  for (const [key, cells] of [...rows].sort(([x], [y]) => x.localeCompare(y))) {
    lines.push(`| ${key} | ${columns.map((c) => { const o = cells.get(c); return o ? `${o.status}${o.ok ? '' : ' ✗'}` : ''; }).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

test.describe('the requests', () => {
  // One worker runs these in order, so the seeds and sign-ins of beforeAll happen once.
  test.describe.configure({ mode: 'default' });

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    // Three messages on three queues: team A owns the first by origin and the second by
    // source queue; team B owns the third's origin.
    // One after another: three at once can starve the database's transaction slots on a busy machine.
    for (const label of ['authz-a', 'authz-c', 'authz-b']) seeds.push(await seedDeadLetters(label, [{ body: '{"n":1}', contentType: 'application/json', messageId: label }]));
    const [a, c, b] = seeds as [typeof seeds[0], typeof seeds[0], typeof seeds[0]];
    messageIds = { 'own-origin': a.idOf('authz-a'), 'own-source': c.idOf('authz-c'), 'other-team': b.idOf('authz-b') };
    approvalIds = {
      'own-origin': await rejectedDiscardRequest(messageIds['own-origin']),
      'own-source': await rejectedDiscardRequest(messageIds['own-source']),
      'other-team': await rejectedDiscardRequest(messageIds['other-team']),
    };
    const teamA = await createOwningTeam({ origins: [a.work], sources: [c.dlq] });
    await createOwningTeam({ origins: [b.work] });

    callers = [{ label: 'anonymous', role: null, ctx: await context() }];
    for (const role of ROLES) {
      callers.push(await sessionCaller(`${role} (session)`, role, await createOperator(role)));
      callers.push({ label: `${role} (token)`, role, ctx: await context({ authorization: `Bearer ${(await createToken(role)).token}` }) });
    }
    scopedCallers = [
      { ...(await sessionCaller('operator of team A (session)', 'operator', await createScopedOperator([teamA.id]))), scopedTo: 'team-a' },
      { label: 'operator of team A (token)', role: 'operator', scopedTo: 'team-a', ctx: await context({ authorization: `Bearer ${(await createScopedToken(teamA.id)).token}` }) },
      // The redirect route's scope, and a scoped role that acts differently.
      { label: 'support_lead of team A (token)', role: 'support_lead', scopedTo: 'team-a', ctx: await context({ authorization: `Bearer ${(await createScopedToken(teamA.id, 'support_lead')).token}` }) },
    ];
  });

  test.afterAll(async () => {
    await Promise.all(contexts.map((c) => c.dispose()));
    await Promise.all(seeds.map((s) => s.cleanup()));
  });

  test('every route × method × caller gets what the table says', async () => {
    test.setTimeout(180_000);
    const jobs: (() => Promise<TOutcome>)[] = [];
    for (const [route, methods] of discoverRoutes()) {
      for (const method of methods) {
        const rule = EXPECTED[route]?.[method];
        if (!rule) continue; // the coverage test names it
        const send = async (caller: TCaller, target?: TTarget): Promise<TOutcome> => {
          const url = urlOf(route, rule, target ?? 'own-origin');
          const response = await caller.ctx.fetch(url, { method, headers: rule.headers, data: method === 'GET' ? undefined : (rule.body ?? {}), maxRedirects: 0 });
          const status = response.status();
          await response.dispose();
          return { route, method, caller: caller.label, target, status, ...judge(rule, caller, target, status) };
        };
        for (const caller of callers) jobs.push(() => send(caller));
        if (rule.scoped) for (const caller of scopedCallers) for (const target of ['own-origin', 'own-source', 'other-team'] as const) jobs.push(() => send(caller, target));
      }
    }
    const outcomes = await inPool(jobs, 6);
    const summary = summarise(outcomes);
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/authorization-matrix.md', summary);
    await test.info().attach('authorization-matrix.md', { body: summary, contentType: 'text/markdown' });
    const wrong = outcomes.filter((o) => !o.ok).map((o) => `${o.method} /api/v1/${o.route} as ${o.caller}${o.target ? ` on the ${o.target} message` : ''}: got ${o.status}, expected ${o.expected}`);
    expect(wrong, `${wrong.length} of ${outcomes.length} requests were not what the table says`).toEqual([]);
  });

  test('anonymous calls get the JSON 401, and a session without the same-origin Origin cannot change anything', async () => {
    const anonymous = callers[0]!.ctx;
    const response = await anonymous.get('/api/v1/messages');
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });

    // The matrix sends Origin for sessions; without it the browser-only CSRF check refuses first.
    const admin = callers.find((c) => c.label === 'admin (session)')!;
    const crossSite = await admin.ctx.post('/api/v1/teams', { data: {}, headers: { origin: 'https://evil.example' } });
    expect(crossSite.status()).toBe(403);
  });

  test('a scoped caller lists and counts only its teams\' messages', async () => {
    for (const caller of scopedCallers) {
      const list = await (await caller.ctx.get('/api/v1/messages?limit=200')).json() as { items: { id: string }[] };
      const ids = list.items.map((m) => m.id);
      expect(ids, caller.label).toEqual(expect.arrayContaining([messageIds['own-origin'], messageIds['own-source']]));
      expect(ids, caller.label).not.toContain(messageIds['other-team']);
      const counts = await (await caller.ctx.get('/api/v1/messages/counts')).json() as { total: number };
      expect(counts.total, caller.label).toBe(ids.length);
      const me = await (await caller.ctx.get('/api/v1/me')).json();
      expect(me.scope, caller.label).toMatchObject({ teamIds: [expect.any(String)] });
    }
  });
});
