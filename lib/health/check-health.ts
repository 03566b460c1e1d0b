import amqp from 'amqplib';
import { prisma } from '../db/prisma';
import { env } from '../env';

export type THealth = { database: string; broker: string };

const TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
  ]);
}

async function check(probe: () => Promise<unknown>, what: string): Promise<string> {
  try {
    await withTimeout(probe(), what);
    return 'ok';
  } catch (error) {
    return `down: ${(error as Error).message}`;
  }
}

/** "ok" for each dependency, or "down: <why>". */
export async function checkHealth(): Promise<THealth> {
  const [database, broker] = await Promise.all([
    check(() => prisma().$queryRaw`SELECT 1`, 'PostgreSQL'),
    check(async () => {
      const connection = await amqp.connect(env().RABBITMQ_URL, { timeout: TIMEOUT_MS });
      await connection.close();
    }, 'RabbitMQ'),
  ]);
  return { database, broker };
}

export function isHealthy(h: THealth) {
  return h.database === 'ok' && h.broker === 'ok';
}
