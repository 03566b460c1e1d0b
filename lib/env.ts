import { z } from 'zod';
import { ROLES, type TRole } from './permissions/roles';

// Every setting the console and the worker read, checked once at start-up. A bad value
// stops the process with a message that names the variable.

const ZCsv = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** Rows per ingest batch at most: each body is one bind parameter of the insert, and a statement takes 65,535. */
export const MAX_STORE_BATCH = 10_000;

/**
 * The inflow counter's longest interval: it counts a minute 5 minutes after it ends, or up
 * to 9 while a transaction open since then holds it back (HOLD_MINUTES), and must do so
 * within the 15 the dashboard reads from the messages themselves at least
 * (lib/dashboard/count-inflow-step.ts): 15 - 1 - 9 = 5 minutes, less one for the ticks
 * themselves (a tick may take up to a minute, and the next waits a whole interval after it).
 */
export const MAX_INFLOW_INTERVAL_MS = 4 * 60_000;

const ZPositiveInt = (fallback: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be a positive number').default(fallback);

/** A URL with one of the given schemes and a host: `postgresql://` alone parses, then fails later far from its cause. */
const hasHost = (s: string) => {
  try {
    const url = new URL(s);
    return url.hostname !== '' || url.searchParams.has('host');
  } catch {
    return false;
  }
};

const ZBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export type TOidcRoleMapping = { group: string; role: TRole };
export type TOidcTeamMapping = { group: string; team: string };

/**
 * 'group=value,group=value' in the order written (the order decides the role, see
 * docs/decisions/0013). Split at the LAST '=' so a group may contain '=' (LDAP-style names).
 */
function ZGroupMap<T>(what: string, check: (value: string) => string | null, build: (group: string, value: string) => T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const out: T[] = [];
      for (const entry of (raw ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
        const at = entry.lastIndexOf('=');
        const group = entry.slice(0, at).trim();
        const value = entry.slice(at + 1).trim();
        if (at < 0 || !group || !value) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not group=${what}` });
          continue;
        }
        const problem = check(value);
        if (problem) ctx.addIssue({ code: 'custom', message: `"${entry}": ${problem}` });
        else out.push(build(group, value));
      }
      return out;
    });
}

const isKnownRole = (value: string) => (ROLES as readonly string[]).includes(value);
const ZRoleName = z.string().refine(isKnownRole, `must be one of ${ROLES.join(', ')}`).transform((v) => v as TRole);

export const ZEnv = z.object({
  DATABASE_URL: z
    .string()
    .default('postgresql://postgres@127.0.0.1:5432/dlq_console')
    .refine((s) => /^postgres(ql)?:\/\//.test(s), 'must be a postgresql:// URL')
    .refine(hasHost, 'must name a host, e.g. postgresql://user:password@db.example:5432/dlq_console'),
  RABBITMQ_URL: z
    .string()
    .default('amqp://guest:guest@127.0.0.1:5672')
    .refine((s) => /^amqps?:\/\//.test(s), 'must be an amqp:// or amqps:// URL')
    .refine(hasHost, 'must name a host, e.g. amqp://user:password@rabbitmq.example:5672'),
  DLQ_SOURCES: ZCsv,
  DLQ_LARGE_BODY_BYTES: ZPositiveInt(10 * 1024 * 1024),
  // How much of a body GET /api/v1/messages/{id} carries inline; /body always has all of it.
  DLQ_INLINE_BODY_BYTES: ZPositiveInt(1024 * 1024),
  DLQ_PREFETCH: ZPositiveInt(500),
  DLQ_BATCH_SIZE: ZPositiveInt(200).pipe(z.number().max(MAX_STORE_BATCH, `must be at most ${MAX_STORE_BATCH}`)),
  DLQ_BATCH_WAIT_MS: ZPositiveInt(50),
  DLQ_SOURCES_REFRESH_MS: ZPositiveInt(5000),
  // The dispatcher (docs/decisions/0007): how long a claimed publish is held before another
  // replica may retry it, how many it claims at once, and how often it looks without a wake-up.
  DLQ_DISPATCH_LEASE_MS: z.coerce.number().int().min(2000, 'must be at least 2000').default(30_000),
  DLQ_DISPATCH_BATCH: ZPositiveInt(200),
  DLQ_DISPATCH_POLL_MS: ZPositiveInt(1000),
  // Failure groups (lib/groups): a header that carries the exception message when the
  // producer framework is none the console knows, and how the worker's classifier paces itself.
  DLQ_EXCEPTION_HEADER: z.string().trim().min(1).max(255).optional(),
  DLQ_CLASSIFY_BATCH: ZPositiveInt(500),
  DLQ_CLASSIFY_INTERVAL_MS: ZPositiveInt(2000),
  // Bulk jobs (lib/jobs): the default and highest rate, the most messages one job may
  // hold, how often the worker looks for work, and how long a claimed job is held.
  DLQ_JOB_DEFAULT_RATE: ZPositiveInt(100),
  DLQ_JOB_MAX_RATE: ZPositiveInt(1000),
  DLQ_JOB_MAX_MESSAGES: ZPositiveInt(50_000),
  DLQ_JOB_POLL_MS: ZPositiveInt(1000),
  DLQ_JOB_LEASE_MS: z.coerce.number().int().min(5000, 'must be at least 5000').default(30_000),
  // Ownership rules (lib/ownership): how often the worker tags new messages with their owner.
  DLQ_OWNERSHIP_INTERVAL_MS: ZPositiveInt(2000),
  // Retention (lib/retention): how often the purge runs, how many rows it deletes per
  // transaction, and how long a stored Idempotency-Key answer is kept.
  DLQ_RETENTION_INTERVAL_MS: ZPositiveInt(60_000),
  DLQ_RETENTION_BATCH: ZPositiveInt(500),
  DLQ_IDEMPOTENCY_TTL_HOURS: ZPositiveInt(7 * 24),
  // Search (lib/messages): the longest a search query may run before it is stopped with a 400.
  DLQ_SEARCH_TIMEOUT_MS: ZPositiveInt(5000),
  // Operability (docs/operations.md). The console's public address, for links in alert
  // notifications sent by the worker (falls back to NEXTAUTH_URL).
  DLQ_CONSOLE_URL: z.url({ protocol: /^https?$/, message: 'must be a URL such as https://dlq.example.com' }).transform((s) => s.replace(/\/+$/, '')).optional(),
  // Alerts (lib/alerts): how often the worker evaluates the rules and delivers webhooks, how
  // long one webhook call may take, and how many attempts before a notification is given up.
  DLQ_ALERT_INTERVAL_MS: ZPositiveInt(15_000),
  DLQ_WEBHOOK_TIMEOUT_MS: ZPositiveInt(5000),
  DLQ_WEBHOOK_MAX_ATTEMPTS: ZPositiveInt(8),
  // Whether webhooks may go to loopback and private addresses (10/8, 172.16/12, 192.168/16,
  // 127/8, 100.64/10, ::1, fc00::/7), e.g. a receiver inside the cluster. Link-local and cloud
  // metadata addresses are refused regardless (lib/alerts/webhook-address.ts).
  DLQ_WEBHOOK_ALLOW_PRIVATE: ZBoolean,
  // The dashboard (lib/dashboard): how often the worker counts the minutes of inflow that settled.
  DLQ_INFLOW_INTERVAL_MS: ZPositiveInt(15_000).pipe(z.number().max(MAX_INFLOW_INTERVAL_MS, `must be at most ${MAX_INFLOW_INTERVAL_MS}`)),
  // Readiness: how often a worker writes its heartbeat, and how old the newest may be.
  DLQ_HEARTBEAT_INTERVAL_MS: ZPositiveInt(5000),
  DLQ_HEARTBEAT_STALE_SECONDS: ZPositiveInt(30),
  // Prometheus: GET /api/metrics wants `Authorization: Bearer <METRICS_TOKEN>` (unset: the
  // endpoint answers 404). The worker serves its own /metrics on WORKER_METRICS_PORT when set.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  // A link from each message and group to its trace, e.g.
  // https://grafana.example/explore?traceId={traceId} ({traceId}, {spanId}, {correlationId}, {messageId}).
  DLQ_TRACE_URL_TEMPLATE: z
    .string()
    .refine((s) => /^https?:\/\/[^\s]+$/.test(s), 'must be an http(s) URL template such as https://tempo.example/trace/{traceId}')
    .refine((s) => /\{(traceId|spanId|correlationId|messageId)\}/.test(s), 'must contain {traceId}, {spanId}, {correlationId} or {messageId}')
    // A producer's header fills the placeholders: it may choose a path or a query value, never the host.
    .refine((s) => !/\{/.test(s.replace(/^https?:\/\//, '').split(/[/?#]/)[0]!), 'must not have a placeholder in the host (a message header would choose where the link goes)')
    .optional(),
  SESSION_MAX_AGE_SECONDS: ZPositiveInt(8 * 60 * 60),
  // Signs session cookies. Every web replica must share it. Required by the web app only.
  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  // The URL operators open. Its origin is the one state-changing browser requests must come from (CSRF).
  NEXTAUTH_URL: z.url({ protocol: /^https?$/, message: 'must be a URL such as https://dlq.example.com' }).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),

  // Single sign-on through any OpenID Connect provider: on when the first three are all set.
  OIDC_ISSUER: z.url({ protocol: /^https?$/, message: 'must be the issuer URL, e.g. https://id.example.com/realms/ops' }).transform((s) => s.replace(/\/+$/, '')).optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_SCOPES: z.string().default('openid email profile groups'),
  OIDC_NAME: z.string().max(60).default('Single sign-on'),
  // Where the groups are in the claims: a name, or a dotted path such as realm_access.roles.
  OIDC_GROUPS_CLAIM: z.string().default('groups'),
  OIDC_ROLE_MAP: ZGroupMap('role', (v) => (isKnownRole(v) ? null : `unknown role "${v}" (roles: ${ROLES.join(', ')})`), (group, value): TOidcRoleMapping => ({ group, role: value as TRole })),
  // The role of a user none of whose groups is mapped; unset: such a user is refused.
  OIDC_DEFAULT_ROLE: ZRoleName.optional(),
  OIDC_TEAM_MAP: ZGroupMap('team', (v) => (v.length > 200 ? 'team name is too long' : null), (group, value): TOidcTeamMapping => ({ group, team: value })),

  // Login throttling (lib/auth/login-throttle.ts): failed sign-ins per email and per client
  // address within a fixed window.
  LOGIN_MAX_FAILURES_PER_EMAIL: ZPositiveInt(10),
  LOGIN_MAX_FAILURES_PER_IP: ZPositiveInt(50),
  LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(10, 'must be at least 10').max(86_400, 'must be at most 86400 (a day)').default(900),
  // Behind a reverse proxy that sets X-Forwarded-For: the client address is its last entry.
  TRUST_PROXY: ZBoolean,
});
export type TEnv = z.infer<typeof ZEnv>;

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  // `NAME=` in a .env file means "not set", as it does for most tools.
  const set = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = ZEnv.safeParse(set);
  if (!result.success) {
    throw invalidEnvironment(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  if (result.data.DLQ_BATCH_SIZE > result.data.DLQ_PREFETCH) {
    throw invalidEnvironment(['DLQ_BATCH_SIZE: must not exceed DLQ_PREFETCH']);
  }
  if (result.data.DLQ_HEARTBEAT_INTERVAL_MS * 3 > result.data.DLQ_HEARTBEAT_STALE_SECONDS * 1000) {
    throw invalidEnvironment(['DLQ_HEARTBEAT_INTERVAL_MS: must be at most a third of DLQ_HEARTBEAT_STALE_SECONDS (in ms), so one missed or late beat does not make readiness report a live worker as stale']);
  }
  const oidcProblem = checkOidc(result.data);
  if (oidcProblem) throw invalidEnvironment([oidcProblem]);
  return result.data;
}

/**
 * One line, whatever the number of problems, each naming its variable: the worker, the CLI
 * and the migrations print it as it is, and a log collector keeps it as one record.
 */
function invalidEnvironment(problems: string[]): Error {
  return new Error(`Invalid environment: ${problems.join('; ')}`);
}

/** Half a configuration is a mistake, not "OIDC off": say what is missing. */
function checkOidc(config: TEnv): string | null {
  const required = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const missing = required.filter((name) => !config[name]);
  if (missing.length === required.length) return null;
  if (missing.length > 0) {
    return `${missing.join(', ')}: must be set too (OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none of them)`;
  }
  if (config.OIDC_ROLE_MAP.length === 0 && !config.OIDC_DEFAULT_ROLE) {
    return 'OIDC_ROLE_MAP: must map at least one group to a role (or set OIDC_DEFAULT_ROLE): otherwise nobody can sign in through OIDC';
  }
  if (!/(^|\s)openid(\s|$)/.test(config.OIDC_SCOPES)) return 'OIDC_SCOPES: must include openid';
  return null;
}

/** The OIDC settings when single sign-on is on, else null. */
export function oidcSettings(config: TEnv) {
  if (!config.OIDC_ISSUER || !config.OIDC_CLIENT_ID || !config.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    scopes: config.OIDC_SCOPES,
    name: config.OIDC_NAME,
    groupsClaim: config.OIDC_GROUPS_CLAIM,
    roleMap: config.OIDC_ROLE_MAP,
    defaultRole: config.OIDC_DEFAULT_ROLE ?? null,
    teamMap: config.OIDC_TEAM_MAP,
  };
}
export type TOidcSettings = NonNullable<ReturnType<typeof oidcSettings>>;

let cached: TEnv | undefined;
export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}


/**
 * What stops the web app from starting, as one line naming the variable; null when it may
 * start. The web needs NEXTAUTH_SECRET on top of what every process needs: without it no
 * session can be signed, and the first sign-in would be the first to find out.
 */
export function webEnvProblem(source: Record<string, string | undefined>): string | null {
  let config: TEnv;
  try {
    config = parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  if (!config.NEXTAUTH_SECRET) return invalidEnvironment(['NEXTAUTH_SECRET: must be set for the web app: it signs session cookies (e.g. `openssl rand -base64 32`)']).message;
  return null;
}
