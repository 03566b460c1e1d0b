// Builds the worker ahead of time into plain JavaScript (.worker-build/), so production runs
// it with `node` alone: no TypeScript loader thread and no run-time transforms, about
// 50-100 MB of the worker's RSS (docs/decisions/performance.md, "Worker RSS"). Run by
// `npm run worker`, `npm run build:worker`, scripts/up.sh and the Dockerfile.
//
// Two entries, each a whole bundle: the worker, and the bulk-job thread's module that
// lib/jobs/run-jobs.ts starts from beside the worker's own file. Packages stay external
// (node_modules is there at run time); the project's code, the generated Prisma client
// included, is bundled.
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(root, '.worker-build');

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

/** Empties outDir and builds into it; the command line below checks the folder a caller names. */
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

// `node scripts/build-worker.mjs [--out-dir DIR]`. DIR is emptied first, so it must be a
// `.worker-build*` folder at the project's root, where the bundle's packages resolve from
// node_modules and ignore files already leave it out (tests build into one of their own).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } }, strict: true });
  const outDir = values['out-dir'] ? path.resolve(values['out-dir']) : OUT_DIR;
  if (path.dirname(outDir) !== root || !path.basename(outDir).startsWith('.worker-build')) {
    console.error(`--out-dir must be a .worker-build* folder directly in ${root}, not ${outDir}`);
    process.exit(2);
  }
  const started = performance.now();
  await buildWorker({ outDir });
  console.log(`worker built into ${path.relative(process.cwd(), outDir)}/ in ${Math.round(performance.now() - started)} ms`);
}
