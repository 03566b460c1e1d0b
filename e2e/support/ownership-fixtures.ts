import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

// For the ownership and retention specs: a dead-letter topology on the real broker whose
// messages are sent when the spec says (so a source's settings can change first), teams
// with a queue on the broker, and light and dark screenshots.

const lib = {
  prisma: () => import('../../lib/db/prisma'),
  sources: () => import('../../lib/sources/add-sources'),
  removeSource: () => import('../../lib/sources/remove-source'),
  broker: () => import('../../lib/testing/test-broker'),
};

const SYSTEM = { kind: 'system', name: 'cli' } as const;

export async function createDeadLetterTopology(label: string) {
  const { createTestBroker, waitFor } = await lib.broker();
  const { addSources } = await lib.sources();
  const { prisma } = await lib.prisma();
  const broker = await createTestBroker(`e2e-${label}`);
  const dlx = await broker.exchange('dlx', 'fanout');
  const dlq = await broker.queue('dlq');
  await broker.channel.bindQueue(dlq, dlx, '');
  const work = await broker.queue('work', { deadLetterExchange: dlx });
  await addSources({ actor: SYSTEM, queues: [dlq] });
  return {
    dlq,
    work,
    /** Dead-letters `n` JSON messages with these headers; resolves with their stored ids once the worker has stored them. */
    async deadLetter(n: number, headers: Record<string, unknown> = {}): Promise<string[]> {
      const before = await prisma().message.count({ where: { sourceQueue: dlq } });
      for (let i = 0; i < n; i++) broker.channel.sendToQueue(work, Buffer.from(JSON.stringify({ n: i })), { contentType: 'application/json', messageId: `${label}-${randomBytes(3).toString('hex')}`, headers });
      for (let i = 0; i < n; i++) {
        const m = await waitFor(async () => (await broker.channel.get(work, { noAck: false })) || undefined, { what: 'a message to reject' });
        broker.channel.nack(m, false, false);
      }
      await waitFor(async () => (await prisma().message.count({ where: { sourceQueue: dlq } })) >= before + n || undefined, { timeoutMs: 30_000, what: `${n} messages stored from ${dlq}` });
      const rows = await prisma().message.findMany({ where: { sourceQueue: dlq }, orderBy: { id: 'desc' }, take: n, select: { id: true } });
      return rows.map((r) => r.id.toString()).reverse();
    },
    /** A team whose destination is a new queue on the broker. */
    async team(name: string) {
      const queue = await broker.queue(`team-${name}`);
      const team = await prisma().team.create({ data: { name: `${name}-${randomBytes(3).toString('hex')}`, queue } });
      return { id: team.id, name: team.name, queue };
    },
    messageCount: (queue: string) => broker.messageCount(queue),
    waitFor,
    async cleanup() {
      const { removeSource } = await lib.removeSource();
      await removeSource({ actor: SYSTEM, queue: dlq });
      await broker.cleanup();
    },
  };
}

/** The rows the worker has tagged with this owner (the worker's ownership step runs every 2 s). */
export async function waitForOwner(ids: string[], teamId: string) {
  const { prisma } = await lib.prisma();
  await expect.poll(async () => prisma().message.count({ where: { id: { in: ids.map(BigInt) }, ownerTeamId: teamId } }), { timeout: 30_000 }).toBe(ids.length);
}

export async function screenshotBoth(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    // As the theme toggle does (app/_lib/theme.ts), without reloading: an open dialog stays open.
    await page.evaluate((s) => {
      document.documentElement.classList.remove('light', 'dark', 'system');
      document.documentElement.classList.add(s);
    }, scheme);
    await page.screenshot({ path: `test-results/screenshots/${name}-${scheme}.png`, fullPage: true, animations: 'disabled' });
  }
  await page.evaluate(() => {
    document.documentElement.classList.remove('dark');
    document.documentElement.classList.add('light');
  });
}
