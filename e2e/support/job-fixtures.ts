import { randomBytes } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

// Dead letters for bulk job tests, on the real broker. `seedDeadLetters` (fixtures.ts)
// leaves their origin queue in place with no consumer, so a replay to it stays there; the
// ones seeded here die again at once (the origin queue has x-message-ttl 0 and dead-letters
// into the source), which is what makes a canary halt.

process.env.DATABASE_URL = process.env.E2E_DATABASE_URL;

const lib = {
  prisma: () => import('../../lib/db/prisma'),
  sources: () => import('../../lib/sources/add-sources'),
  removeSource: () => import('../../lib/sources/remove-source'),
  broker: () => import('../../lib/testing/test-broker'),
};

const SYSTEM = { kind: 'system', name: 'cli' } as const;

/** `count` JSON messages with message ids `<prefix>-1`…, for seedDeadLetters. */
export function jsonSeeds(count: number, prefix = `job-${randomBytes(3).toString('hex')}`) {
  return Array.from({ length: count }, (_, i) => ({
    body: JSON.stringify({ orderId: i + 1, currency: 'USD' }),
    contentType: 'application/json',
    messageId: `${prefix}-${i + 1}`,
  }));
}

/**
 * A source whose origin queue expires everything at once into the source: `count`
 * messages die on arrival, and so does every replay of them to their origin.
 */
export async function seedDyingDeadLetters(label: string, count: number) {
  const { createTestBroker, waitFor } = await lib.broker();
  const { addSources } = await lib.sources();
  const { prisma } = await lib.prisma();
  const broker = await createTestBroker(`e2e-${label}`);
  const dlx = await broker.exchange('dlx', 'fanout');
  const dlq = await broker.queue('dlq');
  await broker.channel.bindQueue(dlq, dlx, '');
  const work = await broker.queue('work', { deadLetterExchange: dlx, messageTtl: 0 });
  await addSources({ actor: SYSTEM, queues: [dlq] });
  for (const s of jsonSeeds(count)) {
    broker.channel.sendToQueue(work, Buffer.from(s.body), { contentType: s.contentType, messageId: s.messageId });
  }
  await waitFor(async () => (await prisma().message.count({ where: { sourceQueue: dlq } })) >= count || undefined, {
    timeoutMs: 30_000, what: `${count} messages stored from ${dlq}`,
  });
  return {
    dlq,
    work,
    storedCount: () => prisma().message.count({ where: { sourceQueue: dlq } }),
    cleanup: async () => {
      const { removeSource } = await lib.removeSource();
      await removeSource({ actor: SYSTEM, queue: dlq });
      await broker.cleanup();
    },
  };
}

/** How many messages wait in a queue the test did not create itself (a seeded origin queue). */
export async function queueDepth(queue: string): Promise<number> {
  const { TEST_RABBITMQ_URL } = await lib.broker();
  const { default: amqplib } = await import('amqplib');
  const connection = await amqplib.connect(TEST_RABBITMQ_URL);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}

/** The failure group the worker's classifier put a seeded origin's messages in, once it has. */
export async function groupOf(origin: string): Promise<string> {
  const { prisma } = await lib.prisma();
  const { waitFor } = await lib.broker();
  const row = await waitFor(async () => {
    const m = await prisma().message.findFirst({ where: { originQueue: origin, groupId: { not: null } }, select: { groupId: true } });
    return m?.groupId ?? undefined;
  }, { timeoutMs: 30_000, what: `the messages of ${origin} grouped` });
  return String(row);
}

/** A full-page screenshot in both colour schemes, into test-results/screenshots/. */
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

/** Waits until the job page's header shows `status`. */
export async function expectJobStatus(page: Page, status: string, timeout = 30_000) {
  await expect(page.getByTestId('job-header').getByTestId('job-status')).toHaveText(status.replace('_', ' '), { timeout });
}

/** On a messages page filtered to `count` messages: Replay all… at `rate`/s, dry run, confirm; ends on the new job's page. */
export async function startReplayAll(page: Page, count: number, rate: number) {
  await page.getByRole('button', { name: 'Replay all…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay all matching messages' });
  await dialog.getByLabel('Rate (messages per second)').fill(String(rate));
  await dialog.getByRole('button', { name: 'Dry run', exact: true }).click();
  await dialog.getByRole('button', { name: `Replay ${count} messages` }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
}

/** On a job's page: Cancel job, confirmed, until the header says cancelled. */
export async function cancelJob(page: Page) {
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await page.getByRole('button', { name: 'Yes, cancel the job' }).click();
  await expectJobStatus(page, 'cancelled');
}

/** The next message's body in a queue the test did not create, acknowledged; null when empty. */
export async function takeBody(queue: string): Promise<string | null> {
  const { TEST_RABBITMQ_URL } = await lib.broker();
  const { default: amqplib } = await import('amqplib');
  const connection = await amqplib.connect(TEST_RABBITMQ_URL);
  try {
    const channel = await connection.createChannel();
    const m = await channel.get(queue, { noAck: true });
    return m ? m.content.toString('utf8') : null;
  } finally {
    await connection.close();
  }
}
