import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['lib/**/*.test.ts', 'app/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    // *.alone.test.ts measure time: they run after the rest, one at a time (vitest.alone.config.ts);
    // *.faults.test.ts break things on purpose: `npm run test:faults` (vitest.faults.config.ts).
    exclude: ['node_modules', 'e2e', '.next', '**/*.alone.test.ts', '**/*.faults.test.ts'],
    // The hostile-input files record their cases; the teardown writes reports/faults.json.
    globalSetup: ['lib/testing/faults/hostile-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
