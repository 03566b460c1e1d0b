import { execFile } from 'node:child_process';
import { lstat, readlink, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The shared build behind `.worker-build` (scripts/build-worker.mjs, buildShared): several
// workers start at once, and each must run a whole build. Two builds at the same moment
// both succeed, the link ends on one complete build, and a build is never rewritten in
// place (a worker running from it starts its job thread from beside its bundle later).

const ROOT = path.resolve(import.meta.dirname, '..');
const build = () => promisify(execFile)(process.execPath, ['scripts/build-worker.mjs'], { cwd: ROOT });

it('two builds at once both succeed and leave the link on a complete build of its own folder', async () => {
  await Promise.all([build(), build()]);
  const link = path.join(ROOT, '.worker-build');
  expect((await lstat(link)).isSymbolicLink()).toBe(true);
  const target = await realpath(link);
  expect(path.dirname(target)).toBe(path.join(ROOT, '.worker-builds'));
  expect((await readdir(target)).sort()).toEqual(['job-runner-thread.js', 'job-runner-thread.js.map', 'main.js', 'main.js.map']);
  // The same sources build to the same folder: a rebuild does not move a running worker's files.
  const before = await readlink(link);
  await build();
  expect(await readlink(link)).toBe(before);
  // No temporary folder or link is left behind.
  expect((await readdir(path.join(ROOT, '.worker-builds'))).filter((n) => n.startsWith('tmp-'))).toEqual([]);
  expect((await readdir(ROOT)).filter((n) => n.startsWith('.worker-build.link-'))).toEqual([]);
}, 120_000);
