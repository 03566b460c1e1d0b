import amqp from 'amqplib';
import pg from 'pg';
import type { TBenchContext } from '../lib/types';

// The replay floor: the least any design that replays stored messages through a
// transactional outbox can do, on the same database, broker and cores as the job it is
// compared with. One side marks stored rows as replaying and writes their outbox rows in
// one transaction per 100 (two such transactions at once, as the job engine's two lanes);
// the other claims 200 pending outbox rows under a lease, publishes them with confirms and
// mandatory in pipelined windows of 100, and marks each window published and its rows
// replayed in one transaction while the next window goes out (as the dispatcher does). No
// audit, no idempotency keys, no scope, version or contract checks, no job bookkeeping: what
// is left is the stack's own cost, so the job's rate over the floor's says how much of the
// gap to the plain confirm channel is the console's and how much the outbox pattern's on
// this machine.

const SOURCE = 'bench_replay_floor_messages';
const OUTBOX = 'bench_replay_floor_outbox';
const JOB_BATCH = 100;
const JOB_LANES = 2;
// Two lanes, the dispatcher's claims and one write in flight.
const CONNECTIONS = JOB_LANES + 2;
const CLAIM = 200;
const WINDOW = 100;

export type TReplayFloor = { rate: number; seconds: number; perSecond: number[]; published: number; failed: number; returned: number };

/** Replays the bodies of `sourceQueue`'s stored messages to `queue`; resolves when every one is published and recorded. */
export async function replayFloor(ctx: Pick<TBenchContext, 'databaseUrl' | 'rabbitUrl'>, sourceQueue: string, queue: string): Promise<TReplayFloor> {
  const db = new pg.Pool({ connectionString: ctx.databaseUrl, max: CONNECTIONS });
  const connection = await amqp.connect(ctx.rabbitUrl);
  try {
    await db.query(`DROP TABLE IF EXISTS ${OUTBOX}, ${SOURCE}`);
    await db.query(`CREATE TABLE ${SOURCE} AS SELECT id, body, 'new'::text AS status FROM messages WHERE source_queue = $1`, [sourceQueue]);
    await db.query(`ALTER TABLE ${SOURCE} ADD PRIMARY KEY (id)`);
    await db.query(`CREATE INDEX ON ${SOURCE} (status, id)`);
    await db.query(`CREATE TABLE ${OUTBOX} (id bigserial PRIMARY KEY, message_id bigint NOT NULL, body bytea NOT NULL,
      state text NOT NULL DEFAULT 'pending', lease_until timestamptz)`);
    await db.query(`CREATE INDEX ON ${OUTBOX} (id) WHERE state = 'pending'`);
    await db.query(`ANALYZE ${SOURCE}`);
    const { rows: [count] } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SOURCE}`);
    const total = count!.n;

    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    let returned = 0;
    channel.on('return', () => { returned++; });
    const perSecond: number[] = [];
    const started = performance.now();
    let jobDone = false;

    const jobLane = async () => {
      for (;;) {
        const { rowCount } = await db.query(`
          WITH picked AS (SELECT id FROM ${SOURCE} WHERE status = 'new' ORDER BY id LIMIT ${JOB_BATCH} FOR UPDATE SKIP LOCKED),
          marked AS (UPDATE ${SOURCE} s SET status = 'replaying' FROM picked WHERE s.id = picked.id RETURNING s.id, s.body)
          INSERT INTO ${OUTBOX} (message_id, body) SELECT id, body FROM marked ORDER BY id`);
        if (!rowCount) return;
      }
    };
    const job = Promise.all(Array.from({ length: JOB_LANES }, jobLane)).finally(() => { jobDone = true; });

    let published = 0;
    let failed = 0;
    /** Marks a confirmed window published and its rows replayed; one write at a time, the next window publishing meanwhile. */
    const record = async (ok: { id: string; message_id: string }[]) => {
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        await client.query(`UPDATE ${OUTBOX} SET state = 'published', lease_until = NULL WHERE id = ANY($1::bigint[])`, [ok.map((r) => r.id)]);
        await client.query(`UPDATE ${SOURCE} SET status = 'replayed' WHERE id = ANY($1::bigint[])`, [ok.map((r) => r.message_id)]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
      published += ok.length;
      const second = Math.floor((performance.now() - started) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + ok.length;
    };
    let writing: Promise<void> = Promise.resolve();
    const dispatcher = async () => {
      for (;;) {
        const { rows } = await db.query<{ id: string; message_id: string; body: Buffer }>(`
          UPDATE ${OUTBOX} o SET lease_until = now() + interval '30 seconds'
          WHERE o.id IN (SELECT id FROM ${OUTBOX} WHERE state = 'pending' AND (lease_until IS NULL OR lease_until < now())
            ORDER BY id LIMIT ${CLAIM} FOR UPDATE SKIP LOCKED)
          RETURNING o.id, o.message_id, o.body`);
        if (rows.length === 0) {
          await writing;
          if (jobDone && published + failed >= total) return;
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        for (let i = 0; i < rows.length; i += WINDOW) {
          const window = rows.slice(i, i + WINDOW);
          const outcomes = await Promise.all(window.map((row) => new Promise<boolean>((resolve) => {
            channel.publish('', queue, row.body, { mandatory: true, persistent: true, messageId: `floor-${row.message_id}` }, (error) => resolve(!error));
          })));
          const ok = window.filter((_, k) => outcomes[k]);
          failed += window.length - ok.length;
          await writing;
          const write = record(ok);
          write.catch(() => {}); // handled where `writing` is awaited, with the next window or at the end
          writing = write;
        }
      }
    };
    await Promise.all([job, dispatcher()]);
    const seconds = (performance.now() - started) / 1000;
    await channel.close();
    return { rate: total / seconds, seconds, perSecond, published, failed, returned };
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${OUTBOX}, ${SOURCE}`).catch(() => {});
    await db.end();
    await connection.close().catch(() => {});
  }
}
