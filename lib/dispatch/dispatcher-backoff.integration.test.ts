import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/test-database';
import { DISPATCH_CHANNEL } from './create-dispatches';
import { runDispatcher } from './run-dispatcher';

// While RabbitMQ is unreachable the dispatcher backs off (500 ms doubling), even when
// actions keep committing: each commit NOTIFYs the dispatcher, and a NOTIFY used to cut
// the backoff short, so a running bulk job turned the backoff into a reconnect per
// notification (53 attempts in a 15 s outage). The "broker" here accepts TCP connections
// and closes them at once, counting them.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Server;
let attempts = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  db = await createTestDatabase('dispatch_backoff');
  server = createServer((socket) => {
    attempts++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.drop();
});

/** Connection attempts while a job keeps committing (a NOTIFY every 50 ms) for 4 s. */
async function attemptsDuringNotifications(maxReconnectDelayMs?: number) {
  const { port } = server.address() as { port: number };
  attempts = 0;
  const dispatcher = runDispatcher({ rabbitUrl: `amqp://guest:guest@127.0.0.1:${port}`, databaseUrl: db.url, leaseMs: 5000, batch: 10, pollMs: 200, maxReconnectDelayMs });
  const notifier = new pg.Client({ connectionString: db.url });
  await notifier.connect();
  const started = Date.now();
  try {
    while (Date.now() - started < 4000) {
      await notifier.query(`NOTIFY ${DISPATCH_CHANNEL}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await notifier.end();
    await dispatcher.stop();
  }
  return attempts;
}

it('backs off between attempts to reach RabbitMQ while notifications keep coming', async () => {
  // Attempts at about 0, 0.5, 1.5 and 3.5 s; one per notification would be about 80.
  const n = await attemptsDuringNotifications();
  expect(n).toBeGreaterThanOrEqual(3);
  expect(n).toBeLessThanOrEqual(5);
});

it('waits no longer than its cap between attempts, so it is back soon after the broker is', async () => {
  // Capped at 500 ms: about 0, 0.5, 1, 1.5 ... 4 s, where the doubling alone gives 4 attempts.
  const n = await attemptsDuringNotifications(500);
  expect(n).toBeGreaterThanOrEqual(7);
  expect(n).toBeLessThanOrEqual(10);
});
