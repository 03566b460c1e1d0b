import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { MAX_ORIGIN_PAIRS, OTHER_ORIGIN, readClusterGauges } from './read-cluster-gauges';
import { forgetClusterGauges, renderWebMetrics } from './web-metrics';

// The origin label is capped: a producer forging x-death origins must not make unlimited
// series. 262 unresolved source/origin pairs against the cap of 200.

let db: Awaited<ReturnType<typeof createTestDatabase>>;

async function seed(sourceQueue: string, originQueue: string, count: number) {
  await prisma().message.createMany({
    data: Array.from({ length: count }, () => ({
      sourceQueue, originQueue, fingerprint: randomBytes(8), reason: 'rejected', routingKeys: [originQueue], deathCount: 1,
      size: 2, isLarge: false, body: Buffer.from('{}'), properties: {}, headers: {}, xDeath: [], deliveryExchange: '', deliveryRoutingKey: sourceQueue,
    })),
  });
}

beforeAll(async () => {
  db = await createTestDatabase('metricscap');
  await seed('a.dlq', 'hot', 5);
  await seed('b.dlq', 'warm', 2);
  for (let i = 0; i < 250; i++) await seed('a.dlq', `forged-${String(i).padStart(3, '0')}`, 1);
  for (let i = 0; i < 10; i++) await seed('b.dlq', `forged-${String(i).padStart(3, '0')}`, 1);
});
afterAll(async () => db?.drop());

describe('the unresolved gauge', () => {
  it('keeps the 200 largest source/origin pairs and sums the rest of each source under origin="(other)"', async () => {
    expect(MAX_ORIGIN_PAIRS).toBe(200);
    const { unresolved } = await readClusterGauges({ staleSeconds: 30 });
    const by = new Map(unresolved.map((r) => [`${r.source}/${r.origin}`, r.count]));
    // 200 pairs and one "(other)" per source.
    expect(unresolved).toHaveLength(202);
    expect(by.get('a.dlq/hot')).toBe(5);
    expect(by.get('b.dlq/warm')).toBe(2);
    // After hot and warm, 198 of a.dlq's single ones (by name) keep their series.
    expect(by.get('a.dlq/forged-197')).toBe(1);
    expect(by.has('a.dlq/forged-198')).toBe(false);
    expect(by.get(`a.dlq/${OTHER_ORIGIN}`)).toBe(52);
    expect(by.get(`b.dlq/${OTHER_ORIGIN}`)).toBe(10);
    // Nothing is lost: the sum per source is exact.
    const sum = (source: string) => unresolved.filter((r) => r.source === source).reduce((n, r) => n + r.count, 0);
    expect([sum('a.dlq'), sum('b.dlq')]).toEqual([255, 12]);
  });

  it('the scrape has as many dlq_unresolved_messages series, and a smaller cap folds more', async () => {
    forgetClusterGauges();
    const text = (await renderWebMetrics({ staleSeconds: 30 })).body;
    const series = text.split('\n').filter((line) => line.startsWith('dlq_unresolved_messages{'));
    expect(series).toHaveLength(202);
    expect(series).toContain(`dlq_unresolved_messages{source="a.dlq",origin="${OTHER_ORIGIN}"} 52`);
    const small = await readClusterGauges({ staleSeconds: 30, maxOriginPairs: 1 });
    expect(small.unresolved.sort((x, y) => x.source.localeCompare(y.source) || x.origin.localeCompare(y.origin))).toEqual([
      { source: 'a.dlq', origin: OTHER_ORIGIN, count: 250 },
      { source: 'a.dlq', origin: 'hot', count: 5 },
      { source: 'b.dlq', origin: OTHER_ORIGIN, count: 12 },
    ]);
  });
});
