import { spawn } from 'node:child_process';
import path from 'node:path';

// Runs the real CLI (`npm run cli`) as a child process against a test database.

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export type TCliRun = { code: number | null; stdout: string; stderr: string };

export function runCli(databaseUrl: string, args: string[], { env = {}, stdin }: { env?: Record<string, string>; stdin?: string } = {}): Promise<TCliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['lib/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
