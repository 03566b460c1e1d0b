import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import amqp from 'amqplib';
import { prisma } from '../../lib/db/prisma';
import { addSources } from '../../lib/sources/add-sources';
import { removeSource } from '../../lib/sources/remove-source';
import { buildWorker, readWorkerCommand } from '../../scripts/worker-command';
import { round, slope } from '../lib/stats';
import { forgetMessages } from '../lib/forget-messages';
import type { TMeasure, TSeries } from '../lib/types';
import { publishDeadLetters } from './ingest';

// Worker memory while it ingests N dead letters: the real worker (lib/worker/main.ts, with
// its dispatcher and background tasks) runs as one node process, started as production
// starts it: built ahead of time by scripts/build-worker.mjs and run by plain node with the
// flags of package.json's "worker" script (its heap cap). Its VmRSS is read from /proc
// every second until all N are stored.
//
// Warm-up: the first 20 % of the samples, and at least the first 10 s. No growth trend:
// the least-squares slope of the samples after warm-up, times their duration, is under
// 10 % of their mean. Peak: under 300 MB over the whole run, warm-up included.

const ACTOR = { kind: 'system', name: 'cli' } as const;
const PEAK_LIMIT_MB = 300;
const TREND_LIMIT = 0.1;
const WARM_UP_SHARE = 0.2;
const WARM_UP_MIN_SECONDS = 10;
/** Fewer samples after warm-up than this judge no trend (smoke sizes finish within warm-up). */
const MIN_TREND_SAMPLES = 10;
const STALL_SECONDS = 120;

async function vmRssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null; // the process has exited
  }
}

export const measure: TMeasure = {
  name: 'rss',
  async run(ctx) {
    const total = ctx.sizes.rss;
    const queue = `${ctx.prefix}.rss.dlq`;
    const connection = await amqp.connect(ctx.rabbitUrl);
    const channel = await connection.createChannel();
    const notes: string[] = [];
    const broken: string[] = [];
    try {
      await channel.assertQueue(queue, { durable: true });
      ctx.log(`rss: publishing ${total} dead letters...`);
      await publishDeadLetters(channel, queue, total);
      await addSources({ actor: ACTOR, queues: [queue] });

      // A folder of its own: a worker started meanwhile by `npm run worker` keeps its .worker-build/.
      const { nodeFlags } = await readWorkerCommand();
      const entry = await buildWorker('.worker-build-bench');
      ctx.log(`rss: starting the built worker (node ${nodeFlags.join(' ')})`);
      const child = spawn(process.execPath, [...nodeFlags, entry], {
        env: { ...process.env, DATABASE_URL: ctx.databaseUrl, RABBITMQ_URL: ctx.rabbitUrl, LOG_LEVEL: 'warn', DLQ_SOURCES: '' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      let exitCode: number | null | undefined;
      void exited.then((code) => (exitCode = code));

      const rss: [number, number][] = [];
      const rate: [number, number][] = [];
      const started = performance.now();
      let taken = 0;
      let stored = 0;
      let lastProgress = started;
      while (stored < total && exitCode === undefined) {
        await new Promise((r) => setTimeout(r, 1000 - ((performance.now() - started) % 1000)));
        const t = Math.round((performance.now() - started) / 1000);
        const mb = await vmRssMb(child.pid!);
        if (mb !== null) rss.push([t, round(mb)]);
        // Progress from the queue's depth: other measures may be writing messages meanwhile,
        // and counting this source's rows every second would load the database. Once the
        // queue is empty, the exact count decides (a taken message is acked only after commit).
        const now = total - (await channel.checkQueue(queue)).messageCount;
        rate.push([t, Math.max(0, now - taken)]);
        if (now > taken) lastProgress = performance.now();
        taken = now;
        if (taken >= total) {
          const count = await prisma().message.count({ where: { sourceQueue: queue } });
          if (count > stored) lastProgress = performance.now();
          stored = count;
        }
        if (performance.now() - lastProgress > STALL_SECONDS * 1000) {
          broken.push(`the worker stored nothing for ${STALL_SECONDS} s at ${stored} of ${total}`);
          break;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const exitedEarly = exitCode !== undefined;
      if (!exitedEarly) child.kill('SIGTERM');
      const code = await exited;
      if (exitedEarly) broken.push(`the worker exited with code ${code} before storing all (${stored} of ${total})`);
      await removeSource({ actor: ACTOR, queue });

      const exact = await prisma().message.count({ where: { sourceQueue: queue } });
      if (exact !== total) broken.push(`stored ${exact} of ${total}: messages lost or doubled`);

      const warmUpSeconds = Math.max(WARM_UP_MIN_SECONDS, seconds * WARM_UP_SHARE);
      const steady = rss.filter(([t]) => t > warmUpSeconds);
      const peak = Math.max(...rss.map(([, mb]) => mb));
      const steadyMean = steady.reduce((s, [, mb]) => s + mb, 0) / steady.length;
      const steadySeconds = steady.length > 1 ? steady[steady.length - 1]![0] - steady[0]![0] : 0;
      const slopeMbPerS = slope(steady);
      const growth = steady.length >= MIN_TREND_SAMPLES ? (slopeMbPerS * steadySeconds) / steadyMean : null;
      if (growth === null) notes.push(`only ${steady.length} samples after the ${round(warmUpSeconds)} s warm-up: too few to judge a trend (smoke size?)`);
      const met = growth !== null && growth < TREND_LIMIT && peak < PEAK_LIMIT_MB && broken.length === 0;

      const series: TSeries[] = [
        { chart: 'worker RSS', name: `worker VmRSS (${total} dead letters)`, unit: 'MB', points: rss },
        { chart: 'ingest rate (RSS run)', name: 'worker: taken from the queue per second', unit: 'msg/s', points: rate },
      ];
      return {
        rows: [{
          measure: `worker RSS while ingesting ${total}`,
          baseline: '-',
          value: round(peak),
          unit: 'MB peak',
          baselineValue: null,
          ratio: null,
          target: `peak < ${PEAK_LIMIT_MB} MB; after warm-up (first ${WARM_UP_SHARE * 100} % of samples, >= ${WARM_UP_MIN_SECONDS} s) least-squares slope x duration < ${TREND_LIMIT * 100} % of the mean`,
          met,
          detail: {
            nodeFlags: nodeFlags.join(' '), messages: total, stored: exact, seconds: round(seconds), samples: rss.length, warmUpSeconds: round(warmUpSeconds),
            steadySamples: steady.length, peakMb: round(peak), steadyMeanMb: steady.length ? round(steadyMean) : null,
            slopeMbPerMin: round(slopeMbPerS * 60, 2), growthOverSteadyShare: growth === null ? null : round(growth, 3),
            ingestRate: Math.round(exact / seconds),
          },
        }],
        series,
        notes,
        broken,
      };
    } finally {
      await channel.deleteQueue(queue).catch(() => {});
      await forgetMessages([queue]).catch(() => {});
      await connection.close();
    }
  },
};
