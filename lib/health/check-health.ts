import amqp from 'amqplib';
import { prisma } from '../db/prisma';
import { env } from '../env';
import { log } from '../log';

// The public health answer says only "ok" or "down" per dependency: the reason (which can
// name hosts and database roles) goes to the log. Answers are reused for a few seconds so
// an unauthenticated caller cannot make the broker open a connection per request.

export type THealth = { database: 'ok' | 'down'; broker: 'ok' | 'down' };

const TIMEOUT_MS = 3000;
const CACHE_MS = 5000;
let cached: { at: number; health: Promise<THealth> } | undefined;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
  ]);
}

async function check(probe: () => Promise<unknown>, what: string): Promise<'ok' | 'down'> {
  try {
    await withTimeout(probe(), what);
    return 'ok';
  } catch (error) {
    log.warn('health check failed', { dependency: what, error });
    return 'down';
  }
}

async function probe(): Promise<THealth> {
  const [database, broker] = await Promise.all([
    check(() => prisma().$queryRaw`SELECT 1`, 'PostgreSQL'),
    check(async () => {
      const connection = await amqp.connect(env().RABBITMQ_URL, { timeout: TIMEOUT_MS });
      await connection.close();
    }, 'RabbitMQ'),
  ]);
  return { database, broker };
}

export function checkHealth(): Promise<THealth> {
  if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), health: probe() };
  return cached.health;
}

export function isHealthy(h: THealth) {
  return h.database === 'ok' && h.broker === 'ok';
}
