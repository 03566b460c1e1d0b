import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The CI's last line, and the names of what failed just above it: a CI log is often read
// from its tail only, so a failure must be named there, not only counted.

const dir = mkdtempSync(join(tmpdir(), 'sum-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const vitestReport = (tests: { name: string; status: 'passed' | 'failed' }[], file = `${process.cwd()}/lib/a.test.ts`) => ({
  numTotalTests: tests.length,
  numPassedTests: tests.filter((t) => t.status === 'passed').length,
  numFailedTests: tests.filter((t) => t.status === 'failed').length,
  testResults: [{ name: file, status: tests.some((t) => t.status === 'failed') ? 'failed' : 'passed', assertionResults: tests.map((t) => ({ fullName: t.name, status: t.status })) }],
});

const playwrightReport = (statuses: Record<string, 'expected' | 'unexpected' | 'flaky'>) => {
  const specs = Object.entries(statuses).map(([title, status]) => ({ title, file: 'jobs/run.spec.ts', tests: [{ status }] }));
  const count = (s: string) => Object.values(statuses).filter((v) => v === s).length;
  return {
    suites: [{ title: 'jobs/run.spec.ts', file: 'jobs/run.spec.ts', specs: specs.slice(0, 1), suites: [{ title: 'pause', file: 'jobs/run.spec.ts', specs: specs.slice(1), suites: [] }] }],
    stats: { expected: count('expected'), unexpected: count('unexpected'), flaky: count('flaky') },
    errors: [],
  };
};

function sum(unitFiles: string[], e2eFile: string, gates = { passed: 2, failed: 0, names: '' }) {
  const run = spawnSync(process.execPath, ['scripts/sum-results.mjs', unitFiles.join(','), e2eFile, String(gates.passed), String(gates.failed), gates.names], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  return { status: run.status, last: lines.at(-1), problems: lines.slice(0, -1).filter((l) => l.startsWith('  ')).map((l) => l.trim()) };
}

describe('sum-results', () => {
  it('sums every runner and the gates, and exits 0 when nothing failed', () => {
    const unit = write('ok.json', vitestReport([{ name: 'a', status: 'passed' }, { name: 'b', status: 'passed' }]));
    const e2e = write('ok-e2e.json', playwrightReport({ one: 'expected', two: 'expected' }));
    expect(sum([unit], e2e)).toEqual({ status: 0, last: '6 passed, 0 failed', problems: [] });
  });

  it('names each failed vitest test and each failed or flaky Playwright test above the last line', () => {
    const unit = write('bad.json', vitestReport([{ name: 'stores once', status: 'failed' }, { name: 'b', status: 'passed' }]));
    const e2e = write('bad-e2e.json', playwrightReport({ opens: 'unexpected', resumes: 'flaky', cancels: 'expected' }));
    expect(sum([unit], e2e, { passed: 1, failed: 1, names: 'lint' })).toEqual({
      status: 1,
      last: '3 passed, 4 failed',
      problems: [
        'lint failed',
        'vitest: lib/a.test.ts > stores once',
        'playwright: jobs/run.spec.ts > opens',
        'playwright (flaky: failed, then passed on retry): jobs/run.spec.ts > pause > resumes',
      ],
    });
  });

  it('counts a missing report as a failure, never as zero tests', () => {
    const e2e = write('e2e-only.json', playwrightReport({ one: 'expected' }));
    const result = sum([join(dir, 'missing.json')], e2e);
    expect(result.status).toBe(1);
    expect(result.last).toBe('3 passed, 1 failed');
    expect(result.problems).toEqual([`vitest: no report (${join(dir, 'missing.json')})`]);
  });
});
