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

it('merges the rows of a run into its section, replacing only the same runner\'s rows', async () => {
  const vitestRun = reportingSetup('hostile', 'vitest');
  await recordHostile({ area: 'bodies', case: 'empty', outcome: 'stored intact', changedNothing: true });
  await vitestRun();
  const playwrightRun = reportingSetup('hostile', 'playwright');
  await recordHostile({ area: 'rendering', case: '<script>', outcome: 'inert', changedNothing: true });
  await playwrightRun();
  const again = reportingSetup('hostile', 'vitest');
  await recordHostile({ area: 'bodies', case: '20 MB', outcome: 'stored intact', changedNothing: true });
  await again();
  const faults = reportingSetup('faults');
  await recordFault(row('kill'));
  await faults();

  const report = JSON.parse(await readFile(reportPath(), 'utf8'));
  expect(report.hostile.rows.map((r: { case: string; runner: string }) => `${r.runner}:${r.case}`)).toEqual(['playwright:<script>', 'vitest:20 MB']);
  expect(report.faults.rows).toEqual([{ ...row('kill'), runner: 'vitest' }]);
});

it('keeps the last report when a run recorded nothing', async () => {
  const first = reportingSetup('faults');
  await recordFault(row('a'));
  await first();
  await reportingSetup('faults')();
  expect(JSON.parse(await readFile(reportPath(), 'utf8')).faults.rows).toHaveLength(1);
});

it('prints a table that cuts long cells', () => {
  const table = formatTable('hostile', [{ area: 'http', case: 'x'.repeat(100), outcome: '400 invalid_json', changedNothing: true }]);
  const lines = table.split('\n');
  expect(lines[0]).toMatch(/^area\s+case\s+outcome\s+changedNothing$/);
  expect(lines[2]).toContain(`${'x'.repeat(69)}…`);
  expect(lines[2]).toContain('true');
});
