#!/usr/bin/env bash
# Every check, the way CI runs it: install what is missing, typecheck, lint, unit and
# integration tests (real PostgreSQL and RabbitMQ), build, Playwright e2e, a benchmark
# smoke run, the fault-injection scenarios. Ends with one line "N passed, N failed" summed
# over all runners.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
results=test-results
mkdir -p "$results"
rm -f "$results"/unit.json "$results"/unit-alone.json "$results"/e2e.json "$results"/faults.json
failed_checks=0
failed_names=()

step() { printf '\n== %s\n' "$*"; }
check() { # name, command...: a gate that is not a test runner counts as one test
  local name=$1; shift
  step "$name"
  if "$@"; then gate_passed=$((gate_passed + 1)); else failed_checks=$((failed_checks + 1)); failed_names+=("$name"); fi
}
gate_passed=0

step "dependencies"
if [ -n "${CI:-}" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "installing Chromium from Debian (Playwright's own download is not reachable)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || { echo "cannot install chromium"; echo "0 passed, 1 failed"; exit 1; }
fi
bash scripts/ensure-services.sh || { echo "0 passed, 1 failed"; exit 1; }

check "typecheck" npm run --silent typecheck
check "lint" npm run --silent lint

step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/unit.json"
step "timing tests, one file at a time (vitest.alone.config.ts)"
npx vitest run --config vitest.alone.config.ts --reporter=default --reporter=json --outputFile.json="$results/unit-alone.json"

step "build and e2e tests (Playwright)"
bash scripts/e2e.sh  # no report when the build fails: sum-results counts that as a failure

if [ -f bench/run.ts ]; then
  # Smoke sizes, never asserted; it serves the build the e2e step just made.
  check "benchmark smoke run" env NEXT_DIST_DIR=.next-e2e npm run --silent bench -- --smoke --reuse-build --out test-results/bench/latest.json
fi

step "fault injection (vitest.faults.config.ts): SIGKILLs and outages against the real worker and console"
# Serves the e2e build too (lib/testing/faults/processes.ts); writes reports/faults.json.
npx vitest run --config vitest.faults.config.ts --reporter=default --reporter=json --outputFile.json="$results/faults.json"

names=$(IFS='|'; echo "${failed_names[*]:-}")
node scripts/sum-results.mjs "$results/unit.json,$results/unit-alone.json,$results/faults.json" "$results/e2e.json" "$gate_passed" "$failed_checks" "$names"
