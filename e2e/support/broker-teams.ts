import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext } from '@playwright/test';
import { createToken } from './fixtures';

// Teams for redirect tests: a real queue per team on the broker, the team created through
// the API with an admin token (as an admin's script would), and both removed afterwards.

const broker = () => import('../../lib/testing/test-broker');

export async function createTeamsWithQueues(request: APIRequestContext, label: string, names: string[]) {
  const { createTestBroker } = await broker();
  const amqp = await createTestBroker(`e2e-${label}`);
  const admin = await createToken('admin');
  const headers = { authorization: `Bearer ${admin.token}` };
  const teams: { id: string; name: string; queue: string }[] = [];
  for (const base of names) {
    const queue = await amqp.queue(base);
    const name = `${base}-${randomBytes(3).toString('hex')}`;
    const response = await request.post('/api/v1/teams', { headers, data: { name, queue, contact: `#${base}-oncall` } });
    expect(response.status(), `create team ${name}`).toBe(201);
    teams.push({ id: ((await response.json()) as { team: { id: string } }).team.id, name, queue });
  }
  return {
    teams,
    messageCount: (queue: string) => amqp.messageCount(queue),
    /** The next message in a queue, acknowledged, or null when it is empty. */
    take: async (queue: string) => {
      const m = await amqp.channel.get(queue, { noAck: true });
      return m || null;
    },
    cleanup: async () => {
      for (const t of teams) await request.delete(`/api/v1/teams/${t.id}`, { headers }).catch(() => {});
      await amqp.cleanup();
    },
  };
}

/** A look at a queue the test did not create (a seeded origin queue). */
export async function peekQueue(queue: string) {
  const { TEST_RABBITMQ_URL } = await broker();
  const { default: amqplib } = await import('amqplib');
  const connection = await amqplib.connect(TEST_RABBITMQ_URL);
  try {
    const channel = await connection.createChannel();
    const m = await channel.get(queue, { noAck: true });
    return m || null;
  } finally {
    await connection.close();
  }
}
