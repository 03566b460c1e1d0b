import { spawn, type ChildProcess } from 'node:child_process';
import { createDatabaseIfMissing, dropDatabase, migrate } from '../../lib/db/migrate';

// The e2e web server: a throwaway database, migrated, then `next start` and the worker
// against it. Playwright stops it with SIGTERM; the database is dropped on the way out.

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl || !/dlq_e2e_/.test(databaseUrl)) throw new Error('serve.ts needs DATABASE_URL naming a dlq_e2e_* database');
const port = process.env.PORT ?? '3100';

await createDatabaseIfMissing(databaseUrl);
await migrate({ databaseUrl });

const children: ChildProcess[] = [
  // Idle keep-alive connections stay open longer than a client keeps them (Node's default is
  // 5 s): a request sent on a connection the server is just closing fails with ECONNRESET.
  spawn('node_modules/.bin/next', ['start', '-p', port, '-H', '127.0.0.1', '--keepAliveTimeout', '65000'], { stdio: 'inherit', env: process.env }),
  spawn('node_modules/.bin/tsx', ['lib/worker/main.ts'], { stdio: 'inherit', env: process.env }),
];

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 8000).unref();
  })));
  await dropDatabase(databaseUrl!).catch((e) => console.error(e));
  process.exit(code);
}

for (const c of children) c.once('exit', (code) => { if (!stopping) { console.error(`e2e child exited with ${code}`); void stop(1); } });
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
