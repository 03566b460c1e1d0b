import type { ChildProcess } from 'node:child_process';
import amqp from 'amqplib';
import { measureLatency } from '../lib/latency';
import { percentile, round } from '../lib/stats';
import type { TMeasure, TSeries } from '../lib/types';
import {
  admins, arrivalProblems, countArrivals, createReplayJob, forgetSource, untilArrived, jobStatus, startWorker, stopWorker, storeDeadLetters, toPoints, untilStoredAndSettled, type TReplayQueues,
} from './replay';

// Paced replay: a bulk replay job at pacedRate/s over pacedRate x pacedSeconds stored dead
// letters, run by the real worker; the rate achieved is counted where the messages land
// (the origin queue), per second. Meanwhile the message list is read over HTTP, one request
// after the other, as an operator watching the console would: its p95 is the second row. It
// runs on the seeded database, so the list is read at the stored size (1,000,000 by default).
//
// The steady window: from the first whole second after the first arrival to the last whole
// second before the last arrival, so the job's start (claim, first batch) and its tail (the
// last partial second) are left out; the rate is what arrived in that window over its length.

const PATHS = (source: string) => [
  '/api/v1/messages?limit=50',
  '/api/v1/messages?limit=50&status=new',
  `/api/v1/messages?limit=50&source=${encodeURIComponent(source)}`,
  '/api/v1/messages?limit=50&status=replayed',
];

export const measure: TMeasure = {
  name: 'paced-replay',
  async run(ctx) {
    const rate = ctx.sizes.pacedRate;
    const total = rate * ctx.sizes.pacedSeconds;
    const queues: TReplayQueues = { source: `${ctx.prefix}.paced.dlq`, origin: `${ctx.prefix}.paced.origin` };
    const connection = await amqp.connect(ctx.rabbitUrl);
    const channel = await connection.createChannel();
    let worker: ChildProcess | undefined;
    try {
      await storeDeadLetters(ctx, channel, queues, total);
      const users = await admins();
      const server = await ctx.consoleServer();
      worker = startWorker(ctx);
      ctx.log(`paced-replay: the worker stores ${total} dead letters...`);
      await untilStoredAndSettled(queues.source, total, worker);
      const paths = PATHS(queues.source);
      const idle = await measureLatency(server, (i) => paths[i % paths.length]!, { requests: Math.min(100, ctx.sizes.requests), warmup: 10 });

      const arrivals = await countArrivals(channel, queues.origin);
      ctx.log(`paced-replay: a replay job of ${total} at ${rate}/s, the list read meanwhile...`);
      const started = performance.now();
      arrivals.start();
      const jobId = await createReplayJob({ source: queues.source, total, ratePerSecond: rate, users });
      // The list, one request after another, from the first arrival until the last one.
      while (arrivals.total === 0 && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
      const times: number[] = [];
      let finished = false;
      const deadline = started + Math.max(120_000, ctx.sizes.pacedSeconds * 4000);
      while (!finished && performance.now() < deadline) {
        const one = await measureLatency(server, (i) => paths[(times.length + i) % paths.length]!, { requests: 1, warmup: 0 });
        times.push(one.max);
        if (times.length % 20 === 0) {
          const job = await jobStatus(jobId);
          finished = !['queued', 'running', 'canary', 'awaiting_approval'].includes(job.status) && arrivals.seen.size >= job.done;
          if (!['queued', 'running', 'canary', 'awaiting_approval', 'completed'].includes(job.status)) break;
        }
      }
      const job = await jobStatus(jobId);
      if (job.status === 'completed') await untilArrived(arrivals, total, worker);
      await new Promise((r) => setTimeout(r, 2000));
      await arrivals.stop();

      // Steady window, in whole seconds of arrivals (see above).
      const perSecond = Array.from({ length: arrivals.perSecond.length }, (_, s) => arrivals.perSecond[s] ?? 0);
      const first = perSecond.findIndex((n) => n > 0);
      const last = perSecond.length - 1;
      const window = perSecond.slice(first + 1, last);
      const achieved = window.length > 0 ? window.reduce((s, n) => s + n, 0) / window.length : 0;
      const deviation = (achieved - rate) / rate;
      const p95 = round(percentile(times, 95));

      const problems = arrivalProblems(arrivals.seen, total);
      if (job.status !== 'completed' || job.done !== total) problems.push(`the job ended ${job.status} with ${job.done} done and ${job.failed} failed of ${total}${job.haltReason ? `: ${job.haltReason}` : ''}`);
      const series: TSeries[] = [
        { chart: 'paced replay', name: 'arrivals at the origin queue', unit: 'msg/s', points: toPoints(perSecond) },
        { chart: 'paced replay', name: 'target rate', unit: 'msg/s', points: toPoints(perSecond.map(() => rate)) },
      ];
      return {
        rows: [
          {
            measure: `paced replay job of ${total} at ${rate}/s`,
            baseline: '-', value: round(achieved), unit: 'msg/s', baselineValue: null, ratio: null,
            target: `within ±5% of ${rate}/s`, met: Math.abs(deviation) <= 0.05 && problems.length === 0,
            detail: {
              deviationPercent: round(deviation * 100, 2), windowSeconds: window.length, windowFrom: first + 1, windowTo: last,
              minSecond: Math.min(...window), maxSecond: Math.max(...window), arrived: arrivals.total, distinct: arrivals.seen.size,
              job: { status: job.status, done: job.done, failed: job.failed },
            },
          },
          {
            measure: `message list during the paced replay (${PATHS(queues.source).length} filters, limit 50)`,
            baseline: '-', value: p95, unit: 'ms p95', baselineValue: null, ratio: null,
            target: 'p95 <= 100 ms', met: p95 <= 100,
            detail: {
              requests: times.length, p50: round(percentile(times, 50)), p99: round(percentile(times, 99)), max: round(Math.max(...times)),
              idleBeforeTheJob: idle,
            },
          },
        ],
        series,
        notes: [],
        broken: problems.map((p) => `paced replay job ${jobId}: ${p}`),
      };
    } finally {
      if (worker) await stopWorker(worker);
      await forgetSource(queues.source);
      for (const q of [queues.source, queues.origin]) await channel.deleteQueue(q).catch(() => {});
      await connection.close().catch(() => {});
    }
  },
};
