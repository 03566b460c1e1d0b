import amqp from 'amqplib';
import { prisma } from '../db/prisma';
import { env, type TEnv } from '../env';
import { log } from '../log';
import { findPendingMigrations } from './find-pending-migrations';

// Readiness (GET /api/v1/health/ready): can this replica do its job? PostgreSQL answers,
// RabbitMQ accepts a connection, every migration is applied, and some worker wrote a
// heartbeat recently (without one nothing is ingested or published). The public answer is
// ok/down per check and a fixed phrase for what is down: the error itself (hosts, roles)
// goes to the log. An answer is reused for a few seconds, so anonymous callers cannot make
// the replica open a broker connection per request.
//
// The broker and the worker heartbeat are facts about the whole cluster: when RabbitMQ or
// every worker is down, every web replica fails them alike. A caller can therefore ask for a
// subset (?checks=database,migrations): a web replica's readinessProbe keeps the replica in
// the load balancer so operators can still read what is stored, while monitoring asks for
// all four (the default). Each set of checks has its own cached answer.

export const READINESS_CHECKS = ['database', 'broker', 'migrations', 'worker'] as const;
export type TReadinessCheck = (typeof READINESS_CHECKS)[number];
export type TReadiness = {
  status: 'ok' | 'down';
  /** The checks asked for (all four by default), each ok or down. */
  checks: Partial<Record<TReadinessCheck, 'ok' | 'down'>>;
  /** What is down, in words that name the dependency and nothing about where it is. */
  reason?: string;
};
/** Resolves when the dependency is usable; rejects (with any error) when it is not. */
export type TProbes = Record<TReadinessCheck, () => Promise<unknown>>;

const WHY: Record<TReadinessCheck, (config: { staleSeconds: number }) => string> = {
  database: () => 'database: PostgreSQL does not answer',
  broker: () => 'broker: RabbitMQ does not answer',
  migrations: () => 'migrations: the database schema is not up to date (npm run db:migrate)',
  worker: ({ staleSeconds }) => `worker: no worker heartbeat within ${staleSeconds} s`,
};

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createReadiness({ probes, cacheMs = 5000, timeoutMs = 3000, staleSeconds }: {
  probes: TProbes;
  /** 0: probe on every call (tests). */
  cacheMs?: number;
  timeoutMs?: number;
  staleSeconds: number;
}) {
  const cached = new Map<string, { at: number; answer: Promise<TReadiness> }>();

  async function probe(only: readonly TReadinessCheck[]): Promise<TReadiness> {
    const results = await Promise.all(only.map(async (name) => {
      try {
        await withTimeout(probes[name](), timeoutMs, name);
        return [name, 'ok'] as const;
      } catch (error) {
        log.warn('readiness check failed', { check: name, error });
        return [name, 'down'] as const;
      }
    }));
    const checks = Object.fromEntries(results) as TReadiness['checks'];
    const down = only.filter((name) => checks[name] === 'down');
    return down.length === 0
      ? { status: 'ok', checks }
      : { status: 'down', checks, reason: down.map((name) => WHY[name]({ staleSeconds })).join('; ') };
  }

  return {
    /** `only`: the checks to run, in any order, without repeats (see parseReadinessChecks); all four by default. */
    check(only: readonly TReadinessCheck[] = READINESS_CHECKS): Promise<TReadiness> {
      const set = READINESS_CHECKS.filter((name) => only.includes(name));
      const key = set.join(',');
      let entry = cached.get(key);
      if (!entry || Date.now() - entry.at >= cacheMs) cached.set(key, (entry = { at: Date.now(), answer: probe(set) }));
      return entry.answer;
    },
  };
}
export type TReadinessChecker = ReturnType<typeof createReadiness>;

/** The probes of this replica; the database is prisma()'s (DATABASE_URL). */
export function defaultProbes(config: Pick<TEnv, 'RABBITMQ_URL' | 'DLQ_HEARTBEAT_STALE_SECONDS'>, timeoutMs = 3000): TProbes {
  return {
    database: () => prisma().$queryRaw`SELECT 1`,
    broker: async () => {
      const connection = await amqp.connect(config.RABBITMQ_URL, { timeout: timeoutMs });
      connection.on('error', () => {});
      await connection.close();
    },
    migrations: async () => {
      const pending = await findPendingMigrations();
      if (pending.length > 0) throw new Error(`${pending.length} migration(s) pending: ${pending.join(', ')}`);
    },
    worker: async () => {
      const [row] = await prisma().$queryRaw<{ fresh: boolean }[]>`
        SELECT coalesce(max(seen_at) > now() - ${config.DLQ_HEARTBEAT_STALE_SECONDS} * interval '1 second', false) AS fresh
        FROM worker_heartbeats`;
      if (!row?.fresh) throw new Error(`no worker heartbeat within ${config.DLQ_HEARTBEAT_STALE_SECONDS} s`);
    },
  };
}

const store = globalThis as unknown as { dlqReadiness?: TReadinessChecker };

/** The replica's readiness, probed at most every 5 s. */
export function readiness(): TReadinessChecker {
  if (!store.dlqReadiness) {
    const config = env();
    store.dlqReadiness = createReadiness({ probes: defaultProbes(config), staleSeconds: config.DLQ_HEARTBEAT_STALE_SECONDS });
  }
  return store.dlqReadiness;
}
