import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

// The command `npm run worker` starts the built worker with, read from package.json, so
// the bench and the tests run the process production runs (same file, same node flags)
// rather than a copy of its flags that could drift.

const ROOT = path.resolve(import.meta.dirname, '..');
/** `... && exec node [--flag[=value] ...] <dir>/main.js` at the end of the script. */
const WORKER_SCRIPT = /(?:^|&&)\s*(?:exec\s+)?node\s+((?:--[\w-]+(?:=\S+)?\s+)*)(\S+\/main\.js)\s*$/;

export type TWorkerCommand = {
  /** node's own flags, e.g. --max-old-space-size. */
  nodeFlags: string[];
  /** The built entry, relative to the project's root. */
  entry: string;
};

export async function readWorkerCommand(): Promise<TWorkerCommand> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.worker ?? '';
  const match = WORKER_SCRIPT.exec(script);
  if (!match) throw new Error(`package.json "worker" does not end with "node [flags] <dir>/main.js": ${JSON.stringify(script)}`);
  return { nodeFlags: match[1]!.trim().split(/\s+/).filter(Boolean), entry: match[2]! };
}

/** Builds the worker into outDir (a `.worker-build*` folder at the root, see scripts/build-worker.mjs); returns its main.js. */
export async function buildWorker(outDir = '.worker-build'): Promise<string> {
  await promisify(execFile)(process.execPath, ['scripts/build-worker.mjs', '--out-dir', outDir], { cwd: ROOT });
  return path.join(ROOT, outDir, 'main.js');
}
