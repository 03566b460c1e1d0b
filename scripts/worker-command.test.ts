import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { readWorkerCommand } from './worker-command';

// `npm run worker`, `npm run up` and the Docker image start the same process: the worker
// built by scripts/build-worker.mjs, run by plain node with the same flags (the heap cap
// was chosen by measurement: docs/decisions/performance.md, "Worker RSS").

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFile(path.join(root, file), 'utf8');

it('npm run worker builds first, then execs node on the build, so npm hands SIGTERM to the worker itself', async () => {
  const pkg = JSON.parse(await read('package.json')) as { scripts: Record<string, string> };
  const { nodeFlags, entry } = await readWorkerCommand();
  expect(entry).toBe('.worker-build/main.js');
  expect(pkg.scripts.worker).toBe(`node scripts/build-worker.mjs && exec node ${nodeFlags.join(' ')} ${entry}`);
  expect(pkg.scripts['build:worker']).toBe('node scripts/build-worker.mjs');
});

it('scripts/up.sh builds the worker and starts it with the same flags', async () => {
  const { nodeFlags, entry } = await readWorkerCommand();
  const up = await read('scripts/up.sh');
  expect(up).toContain('node scripts/build-worker.mjs\n');
  expect(up).toContain(`node ${nodeFlags.join(' ')} ${entry} &\n`);
  expect(up).not.toMatch(/tsx lib\/worker\/main\.ts/);
});

it('the Docker image builds the worker in the build stage and runs the build with the same flags', async () => {
  const { nodeFlags, entry } = await readWorkerCommand();
  const dockerfile = await read('Dockerfile');
  const worker = dockerfile.slice(dockerfile.indexOf('AS worker'));
  const cmd = /^CMD (\[.*\])$/m.exec(worker)?.[1];
  expect(JSON.parse(cmd!)).toEqual(['node', ...nodeFlags, entry]);
  expect(dockerfile).toMatch(/^RUN node scripts\/build-worker\.mjs --out-dir \.worker-build$/m);
  expect(worker).toContain('COPY --from=build --chown=node:node /app/.worker-build ./.worker-build');
});
