#!/usr/bin/env bash
# Builds into .next-e2e (so a running console is not disturbed) and runs Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 NEXT_DIST_DIR="${NEXT_DIST_DIR:-.next-e2e}"
mkdir -p test-results
rm -f test-results/e2e.json
npx next build > test-results/build.log 2>&1 || { tail -40 test-results/build.log; exit 1; }
npx playwright test "$@"
