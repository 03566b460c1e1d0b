import { randomBytes } from 'node:crypto';
import { prisma } from '../db/prisma';

// Stored dead letters for the bulk job tests, written straight to the database in bulk (the
// ingest path is tested on its own): thousands in a second, each from `origin` through
// `source`, with a JSON body.

export async function insertDeadLetters(n: number, { source, origin }: { source: string; origin: string }): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let start = 0; start < n; start += 1000) {
    const count = Math.min(1000, n - start);
    const rows = await prisma().message.createManyAndReturn({
      data: Array.from({ length: count }, (_, i) => {
        const body = Uint8Array.from(Buffer.from(JSON.stringify({ n: start + i, order: `o-${start + i}` })));
        return {
          sourceQueue: source, fingerprint: Uint8Array.from(randomBytes(16)), originQueue: origin, reason: 'rejected' as const,
          routingKeys: [origin], deathCount: 1, size: body.length, isLarge: false, body, properties: { contentType: { type: 'string', value: 'application/json' } },
          headers: {}, xDeath: [], deliveryExchange: '', deliveryRoutingKey: source, contentType: 'application/json',
        };
      }),
      select: { id: true },
    });
    // Ingest writes every message's search row with it; the fixture does too.
    await prisma().messageSearch.createMany({ data: rows.map((r, i) => ({ messageId: r.id, searchText: `order o-${start + i}` })) });
    ids.push(...rows.map((r) => r.id));
  }
  return ids.sort((a, b) => (a < b ? -1 : 1));
}
