import path from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm run test:faults`: scenarios that break things on purpose (SIGKILL, broker and
// database outages) against real worker and web processes. One file at a time: a scenario
// measures recovery, and some stop shared services for a moment.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['lib/**/*.faults.test.ts', 'scripts/**/*.faults.test.ts'],
    globalSetup: ['lib/testing/faults/faults-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
