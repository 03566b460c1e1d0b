import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests that measure time (a bulk job's pace, a kill -9 in the middle of a job) run after
// the rest, one file at a time, so another test file's load does not become their
// measurement. Named *.alone.test.ts; vitest.config.ts leaves them out.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['lib/**/*.alone.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
