import { randomBytes } from 'node:crypto';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';

// Test data for the dashboard's integration tests: stored messages that arrived at a given time.

export const MINUTE = 60_000;

export function minuteFloor(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);
}

/** `count` stored messages that arrived at `at`; their ids. */
export async function seedMessages(count: number, at: Date, over: Partial<Prisma.MessageUncheckedCreateInput> = {}): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const m = await prisma().message.create({
      data: {
        sourceQueue: 'orders.dlq', fingerprint: randomBytes(8), originQueue: 'orders', reason: 'rejected', routingKeys: ['orders'], deathCount: 1,
        size: 2, isLarge: false, body: Buffer.from('{}'), properties: {}, headers: {}, xDeath: [], deliveryExchange: '', deliveryRoutingKey: 'orders.dlq',
        ingestedAt: at, ...over,
      },
      select: { id: true },
    });
    ids.push(m.id);
  }
  return ids;
}

/** Every inflow count as [bucket, source, origin, count, 'live' | 'backfilled'], oldest first. */
export async function inflowRows(): Promise<[string, string, string, number, 'live' | 'backfilled'][]> {
  const rows = await prisma().inflowCount.findMany({ orderBy: [{ bucket: 'asc' }, { sourceQueue: 'asc' }, { originQueue: 'asc' }] });
  return rows.map((r) => [r.bucket.toISOString(), r.sourceQueue, r.originQueue, r.count, r.backfilled ? 'backfilled' : 'live']);
}
