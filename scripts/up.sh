#!/usr/bin/env bash
# Sets up and starts the console and the worker against the local PostgreSQL and
# RabbitMQ: install, write .env if missing, migrate, build, run both until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -f .env ]; then
  secret=$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")
  sed "s#^NEXTAUTH_SECRET=.*#NEXTAUTH_SECRET=${secret}#" .env.example > .env
  echo "wrote .env (from .env.example, with a new NEXTAUTH_SECRET)"
fi
# Next.js and the worker read .env themselves; bash must not (it would expand `$` in values).
env_value() { node -e "const v = process.env['$1'] ?? require('node:util').parseEnv(require('node:fs').readFileSync('.env', 'utf8'))['$1']; if (v) console.log(v)"; }
PORT="${PORT:-$(env_value PORT)}"
HOST="${HOST:-$(env_value HOST)}"
NEXTAUTH_URL="${NEXTAUTH_URL:-$(env_value NEXTAUTH_URL)}"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/ensure-services.sh
npm run db:migrate
npm run build

port="${PORT:-3000}"
# The worker runs as built ahead of time, with the heap cap `npm run worker` uses (package.json).
node scripts/build-worker.mjs
node --max-old-space-size=512 .worker-build/main.js &
worker=$!
node_modules/.bin/next start -p "$port" -H "${HOST:-127.0.0.1}" --keepAliveTimeout 65000 &
web=$!
trap 'kill -TERM $worker $web 2>/dev/null; wait $worker $web 2>/dev/null' INT TERM EXIT

cat <<MSG

DLQ Console: ${NEXTAUTH_URL:-http://127.0.0.1:$port}   (worker pid $worker, web pid $web; Ctrl-C stops both)
No account yet? In another terminal:
  npm run cli -- users create --email you@example.com --password 'a-long-password' --role admin
Sample data:  npm run demo

MSG
wait -n $worker $web
