import { mkdir, readdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

// The reliability report (reports/faults.json): one section per suite, each written by
// the suite's last step from the rows its test files recorded during the run.
//
// Test files run in separate processes, so a row is first written as its own small file
// under reports/.parts/<run>/<suite>/, and the suite's global teardown merges them. The
// run id comes from the global setup (DLQ_REPORT_RUN), so two runs side by side do not
// mix their rows; a file run on its own (no global setup) writes under "adhoc".

export type TFaultRow = {
  scenario: string;
  messages: number;
  lost: number;
  duplicated: number;
  doublePublished: number;
  /** Seconds from the fault's end (restart, restore) to the first progress after it; null when nothing was broken. */
  recoveredInS: number | null;
  /** Whatever makes the row reproducible or readable: the seed, the kill points, the window allowed. */
  details?: Record<string, unknown>;
};

export type THostileRow = {
  area: 'bodies' | 'headers' | 'http' | 'cli' | 'rendering';
  case: string;
  /** What the system did: "stored intact", "400 invalid_json", "exit 1: DATABASE_URL ...". */
  outcome: string;
  /** The database (and queues, where they matter) compared before and after: unchanged, or changed only as the case requires (a message stored). */
  changedNothing: boolean;
};

type TSuite = 'faults' | 'hostile';
type TRunner = 'vitest' | 'playwright';

const ROOT = path.resolve(import.meta.dirname, '../../..');
// DLQ_REPORT_DIR moves the report (its own test writes into a temporary directory).
const reportDir = () => process.env.DLQ_REPORT_DIR || path.join(ROOT, 'reports');
export const reportPath = () => path.join(reportDir(), 'faults.json');
const partsRoot = () => path.join(reportDir(), '.parts');

const runId = () => process.env.DLQ_REPORT_RUN || 'adhoc';
const partsDir = (suite: TSuite, run = runId()) => path.join(partsRoot(), run, suite);

let recorded = 0;

async function recordRow(suite: TSuite, row: object) {
  const dir = partsDir(suite);
  await mkdir(dir, { recursive: true });
  // Named so that sorting keeps the order rows were recorded in: time, then this process's own count.
  const name = `${String(Date.now()).padStart(15, '0')}-${String(++recorded).padStart(9, '0')}-${randomBytes(4).toString('hex')}.json`;
  await writeFile(path.join(dir, name), JSON.stringify(row));
}

export const recordFault = (row: TFaultRow) => recordRow('faults', row);
export const recordHostile = (row: THostileRow) => recordRow('hostile', row);

/**
 * Global setup of a suite in one runner (vitest or Playwright: the hostile-input suite has
 * files in both): a fresh run id; returns the teardown that merges, writes and prints.
 * A row replaces the earlier row of the same scenario or case and keeps the rest, so a run
 * of one file updates its rows only; each row says when it ran.
 */
export function reportingSetup(suite: TSuite, runner: TRunner = 'vitest') {
  const run = `${suite}-${runner}-${Date.now()}-${randomBytes(3).toString('hex')}`;
  process.env.DLQ_REPORT_RUN = run;
  return async () => {
    const dir = partsDir(suite, run);
    const ranAt = new Date().toISOString();
    const rows: object[] = [];
    for (const file of (await readdir(dir).catch(() => [])).sort()) {
      rows.push({ ...JSON.parse(await readFile(path.join(dir, file), 'utf8')), runner, ranAt });
    }
    await rm(path.join(partsRoot(), run), { recursive: true, force: true });
    if (rows.length === 0) return; // a filtered run that recorded nothing keeps the last report
    await writeSection(suite, rows);
    console.log(`\n${suite === 'faults' ? 'Fault injection' : 'Hostile input'} (${runner}): ${rows.length} rows (${path.relative(process.cwd(), reportPath())})\n${formatTable(suite, rows)}\n`);
  };
}

const rowKey = (suite: TSuite, row: Record<string, unknown>) =>
  (suite === 'faults' ? String(row.scenario) : `${row.runner}\u0000${row.area}\u0000${row.case}`);

async function writeSection(suite: TSuite, rows: object[]) {
  const file = reportPath();
  await mkdir(path.dirname(file), { recursive: true });
  const current = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Record<string, { rows?: Record<string, unknown>[] }>;
  const merged = new Map<string, unknown>();
  for (const row of [...(current[suite]?.rows ?? []), ...rows] as Record<string, unknown>[]) merged.set(rowKey(suite, row), row);
  const report = {
    ...current,
    [suite]: {
      updatedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
      rows: [...merged.values()],
    },
  };
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(report, null, 2)}\n`);
  await rename(tmp, file);
}

export function formatTable(suite: TSuite, rows: object[]) {
  const columns = suite === 'faults'
    ? ['scenario', 'messages', 'lost', 'duplicated', 'doublePublished', 'recoveredInS']
    : ['area', 'case', 'outcome', 'changedNothing'];
  const cells = rows.map((row) => columns.map((c) => {
    const v = (row as Record<string, unknown>)[c];
    return v === null || v === undefined ? '-' : String(v);
  }));
  const widths = columns.map((c, i) => Math.min(70, Math.max(c.length, ...cells.map((r) => r[i]!.length))));
  const line = (values: string[]) => values.map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!))).join('  ');
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
