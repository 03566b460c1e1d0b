import type { TSeedResult } from './seed';

// The contract between `npm run bench` (bench/run.ts) and each measure (bench/measures/*).
// A measure sets up what it needs under ctx.prefix, measures, cleans up its queues, and
// returns rows for the table and series for the chart. It never asserts: a missed target
// is a row with met: false, and the run goes on.

export type TBenchRow = {
  measure: string;
  /** What the figure is compared with in the same run, or '-' for a bound at a stated size. */
  baseline: string;
  /** The console's figure, in `unit`. */
  value: number;
  unit: string;
  baselineValue: number | null;
  /** value / baselineValue when there is a baseline. */
  ratio: number | null;
  /** The target in words: '>= 0.50 x baseline', 'p95 <= 50 ms'. */
  target: string;
  met: boolean;
  /** Percentiles, runs, sizes, anything a reader needs to trust the figure. */
  detail?: Record<string, unknown>;
};

/** One line of a chart: [seconds since the measure started, value]. Series with the same `chart` share one panel. */
export type TSeries = { chart: string; name: string; unit: string; points: [number, number][] };

/**
 * `notes`: what a reader should know (a warm-up dropped, a size lowered). `broken`: what is
 * wrong whatever the timings, such as messages lost or doubled; the run exits 1 for it.
 */
export type TMeasureResult = { rows: TBenchRow[]; series: TSeries[]; notes: string[]; broken?: string[] };

export type TBenchSizes = {
  /** Messages the ingest measure publishes and stores. */
  ingest: number;
  /** Interleaved runs of baseline and worker whose medians give the ingest ratio. */
  ingestRuns: number;
  /** Messages in the unlimited bulk replay job. */
  replay: number;
  /** Stored messages for the query latency measures. */
  stored: number;
  /** Requests per query latency measure. */
  requests: number;
  /** Messages the worker ingests while its RSS is sampled. */
  rss: number;
  /** The rate-limited replay: messages per second and seconds. */
  pacedRate: number;
  pacedSeconds: number;
};

export type TConsoleServer = { baseUrl: string; token: string };

export type TBenchContext = {
  rabbitUrl: string;
  /**
   * The bench's own database; prisma() already points at it. For the latency measures
   * (queries, paced-replay), the seeded database (bench/lib/seed-database.ts).
   */
  databaseUrl: string;
  /** What the seeded database holds; set when the latency measures run. */
  seeded?: TSeedResult;
  /** Every queue a measure declares starts with this, and the measure deletes it. */
  prefix: string;
  smoke: boolean;
  sizes: TBenchSizes;
  log: (line: string) => void;
  /** `next start` against the bench database (started on first call, stopped by run.ts), with an admin API token. */
  consoleServer: () => Promise<TConsoleServer>;
};

export type TMeasure = {
  name: string;
  run: (ctx: TBenchContext) => Promise<TMeasureResult>;
};
