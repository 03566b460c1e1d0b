import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { formatTable, recordFault, recordHostile, reportingSetup, reportPath } from './report';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dlq-report-'));
  vi.stubEnv('DLQ_REPORT_DIR', dir);
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const row = (scenario: string) => ({ scenario, messages: 10, lost: 0, duplicated: 0, doublePublished: 0, recoveredInS: 1.5 });

it('merges the rows of a run into its section, replacing the rows of the same case and runner', async () => {
  const vitestRun = reportingSetup('hostile', 'vitest');
  await recordHostile({ area: 'bodies', case: 'empty', outcome: 'stored intact', changedNothing: true });
  await vitestRun();
  const playwrightRun = reportingSetup('hostile', 'playwright');
  await recordHostile({ area: 'rendering', case: '<script>', outcome: 'inert', changedNothing: true });
  await playwrightRun();
  const again = reportingSetup('hostile', 'vitest');
  await recordHostile({ area: 'bodies', case: '20 MB', outcome: 'stored intact', changedNothing: true });
  await recordHostile({ area: 'bodies', case: 'empty', outcome: 'refused', changedNothing: false });
  await again();
  const faults = reportingSetup('faults');
  await recordFault(row('kill'));
  await faults();

  const report = JSON.parse(await readFile(reportPath(), 'utf8'));
  type TRow = { case: string; runner: string; outcome: string; ranAt: string };
  expect(report.hostile.rows.map((r: TRow) => `${r.runner}:${r.case}:${r.outcome}`)).toEqual(['vitest:empty:refused', 'playwright:<script>:inert', 'vitest:20 MB:stored intact']);
  expect(report.hostile.rows.every((r: TRow) => !Number.isNaN(Date.parse(r.ranAt)))).toBe(true);
  expect(report.faults.rows).toEqual([{ ...row('kill'), runner: 'vitest', ranAt: expect.any(String) }]);
});

it('keeps the other scenarios when a run of one file records its own again', async () => {
  const first = reportingSetup('faults');
  await recordFault(row('a'));
  await recordFault(row('b'));
  await first();
  await reportingSetup('faults')();
  const second = reportingSetup('faults');
  await recordFault({ ...row('b'), lost: 1 });
  await second();
  const rows = JSON.parse(await readFile(reportPath(), 'utf8')).faults.rows;
  expect(rows.map((r: { scenario: string; lost: number }) => `${r.scenario}:${r.lost}`)).toEqual(['a:0', 'b:1']);
});

it('prints a table that cuts long cells', () => {
  const table = formatTable('hostile', [{ area: 'http', case: 'x'.repeat(100), outcome: '400 invalid_json', changedNothing: true }]);
  const lines = table.split('\n');
  expect(lines[0]).toMatch(/^area\s+case\s+outcome\s+changedNothing$/);
  expect(lines[2]).toContain(`${'x'.repeat(69)}…`);
  expect(lines[2]).toContain('true');
});
