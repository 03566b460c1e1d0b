// Sums the runners' JSON reports and the gate checks into one line "N passed, N failed".
// A report that is missing (the runner crashed) counts as a failure, never as zero tests.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [unitFiles, e2eFile, gatesPassed, gatesFailed, failedNames] = process.argv.slice(2);
let passed = Number(gatesPassed);
let failed = Number(gatesFailed);
const problems = failedNames ? failedNames.split('|').filter(Boolean).map((name) => `${name} failed`) : [];

/** Every test in a Playwright JSON report, with its file and the titles leading to it. */
function* playwrightTests(suites, titles = null) {
  for (const suite of suites) {
    const path = titles === null ? [] : [...titles, suite.title]; // a top-level suite is its file
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) yield { file: spec.file, title: [...path, spec.title].join(' > '), status: test.status };
    }
    yield* playwrightTests(suite.suites ?? [], path);
  }
}

function read(file, name) {
  if (!existsSync(file)) {
    problems.push(`${name}: no report (${file})`);
    failed += 1;
    return null;
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

// The vitest reports, comma-separated: the main run, the one-file-at-a-time timing run and
// the fault-injection scenarios.
for (const unitFile of unitFiles.split(',')) {
  const unit = read(unitFile, 'vitest');
  if (!unit) continue;
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  if (unit.numTotalTests === 0) { problems.push(`vitest ran no test (${unitFile})`); failed += 1; }
  for (const file of unit.testResults) {
    for (const a of file.assertionResults) {
      if (a.status === 'failed') problems.push(`vitest: ${relative(process.cwd(), file.name)} > ${a.fullName}`);
    }
  }
  // A file that fails to load has no failed test but is a failure.
  const broken = unit.testResults.filter((f) => f.status === 'failed' && f.assertionResults.every((a) => a.status !== 'failed'));
  for (const f of broken) { problems.push(`vitest: ${f.name} failed to run`); failed += 1; }
}
const e2e = read(e2eFile, 'playwright');
if (e2e) {
  passed += e2e.stats.expected;
  failed += e2e.stats.unexpected + e2e.stats.flaky;
  if (e2e.stats.expected + e2e.stats.unexpected + e2e.stats.flaky === 0) { problems.push('playwright ran no test'); failed += 1; }
  for (const { file, title, status } of playwrightTests(e2e.suites ?? [])) {
    if (status === 'unexpected' || status === 'flaky') problems.push(`playwright${status === 'flaky' ? ' (flaky: failed, then passed on retry)' : ''}: ${file} > ${title}`);
  }
  for (const error of e2e.errors ?? []) { problems.push(`playwright: ${error.message?.split('\n')[0]}`); failed += 1; }
}

if (problems.length) console.log(`\nproblems:\n  ${problems.join('\n  ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
