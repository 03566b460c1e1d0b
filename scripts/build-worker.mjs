// Builds the worker ahead of time into plain JavaScript (.worker-build/), so production runs
// it with `node` alone: no TypeScript loader thread and no run-time transforms, about
// 50-100 MB of the worker's RSS (docs/decisions/performance.md, "Worker RSS"). Run by
// `npm run worker`, `npm run build:worker`, scripts/up.sh and the Dockerfile.
//
// Two entries, each a whole bundle: the worker, and the bulk-job thread's module that
// lib/jobs/run-jobs.ts starts from beside the worker's own file. Packages stay external
// (node_modules is there at run time); the project's code, the generated Prisma client
// included, is bundled.
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(root, '.worker-build');
/** Every build that `.worker-build` has pointed to, one folder per content hash. */
const BUILDS_DIR = path.join(root, '.worker-builds');

/**
 * A bundle runs from OUT_DIR, so `import.meta.dirname` (lib/db/migrate.ts finds
 * prisma/migrations by it) would name OUT_DIR instead of the source file's folder: each
 * module gets its own folder back, relative to the bundle so the tree can move as a whole.
 * `import.meta.url` is left alone: run-jobs.ts locates the thread's entry beside the bundle by it.
 */
const sourceDirname = (outDir) => ({
  name: 'source-dirname',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.dirname') && !source.includes('import.meta.filename')) return { contents: source, loader: 'ts' };
      const fromBundle = path.relative(outDir, path.dirname(args.path)).split(path.sep).join('/');
      const dirname = `__sourcePath(${JSON.stringify(fromBundle)})`;
      const filename = `__sourcePath(${JSON.stringify(`${fromBundle}/${path.basename(args.path)}`)})`;
      return {
        contents: source.replaceAll('import.meta.dirname', dirname).replaceAll('import.meta.filename', filename),
        loader: 'ts',
      };
    });
  },
});

const banner = [
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "import { dirname as __dirnameOf, resolve as __resolvePath } from 'node:path';",
  'const __sourcePath = (relative) => __resolvePath(__dirnameOf(__fileURLToPath(import.meta.url)), relative);',
].join('\n');

/** Empties outDir and builds into it in place; the command line below checks the folder a caller names. */
export async function buildWorker({ outDir = OUT_DIR } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      main: 'lib/worker/main.ts',
      // lib/jobs/run-jobs.ts starts `./job-runner-thread.js` beside the running bundle.
      'job-runner-thread': 'lib/jobs/job-runner-thread.ts',
    },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    banner: { js: banner },
    plugins: [sourceDirname(outDir)],
    logLevel: 'warning',
  });
  return outDir;
}

/**
 * The shared build that `npm run worker` runs: several workers (replicas on one machine,
 * a restart beside a running one) build at the same moment, and a running worker starts
 * its bulk-job thread from beside its own bundle long after it started. So a build never
 * changes files in place: it is written to a folder of its own, kept under its content hash
 * in .worker-builds/, and `.worker-build` is a symlink swapped to it in one rename. Node
 * runs the link's target (it resolves the main module's real path), so a worker keeps its
 * own build, thread included, whatever is built after it. Old builds are not deleted (a
 * worker may still run one; about 2 MB each, one per change of the code).
 */
export async function buildShared() {
  await mkdir(BUILDS_DIR, { recursive: true });
  const unique = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = path.join(BUILDS_DIR, `tmp-${unique}`);
  try {
    await buildWorker({ outDir: tmp }); // same depth as its final folder: relative paths hold
    const hash = createHash('sha256');
    for (const name of (await readdir(tmp)).sort()) hash.update(name).update(await readFile(path.join(tmp, name)));
    const id = hash.digest('hex').slice(0, 16);
    const final = path.join(BUILDS_DIR, id);
    await rename(tmp, final).catch((error) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error; // the same build is there already
    });
    const link = path.join(root, `.worker-build.link-${unique}`);
    await symlink(path.relative(root, final), link);
    // A real folder there is the layout before builds were shared: replaced once.
    if ((await lstat(OUT_DIR).catch(() => null))?.isDirectory()) await rm(OUT_DIR, { recursive: true, force: true });
    await rename(link, OUT_DIR);
    return final;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// `node scripts/build-worker.mjs [--out-dir DIR]`. DIR is emptied first, so it must be a
// `.worker-build*` folder at the project's root, where the bundle's packages resolve from
// node_modules and ignore files already leave it out (tests build into one of their own).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } }, strict: true });
  const outDir = values['out-dir'] ? path.resolve(values['out-dir']) : null;
  if (outDir && (path.dirname(outDir) !== root || !path.basename(outDir).startsWith('.worker-build'))) {
    console.error(`--out-dir must be a .worker-build* folder directly in ${root}, not ${outDir}`);
    process.exit(2);
  }
  const started = performance.now();
  // Without --out-dir: the shared build behind the .worker-build link (buildShared).
  // With it: a folder of the caller's own, emptied and built in place (tests, the bench,
  // the Docker image's build stage, where nothing else runs from it meanwhile).
  const built = outDir ? await buildWorker({ outDir }) : await buildShared();
  console.log(`worker built into ${path.relative(process.cwd(), built)}/ in ${Math.round(performance.now() - started)} ms`);
}
