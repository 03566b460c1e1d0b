import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';

// One throwaway database per run, named here once: Playwright's workers inherit this
// process's environment, so the fixtures seed the same database the server reads.
process.env.E2E_DATABASE_URL ??= `postgresql://postgres@127.0.0.1:5432/dlq_e2e_${randomBytes(4).toString('hex')}`;
const port = Number(process.env.E2E_PORT ?? 3100);
process.env.E2E_BASE_URL ??= `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : [['list']],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: 'node_modules/.bin/tsx e2e/support/serve.ts',
    url: `${process.env.E2E_BASE_URL}/api/v1/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      PORT: String(port),
      NEXTAUTH_URL: process.env.E2E_BASE_URL,
      NEXTAUTH_SECRET: 'e2e-only-secret-e2e-only-secret-e2e-only',
      DLQ_SOURCES_REFRESH_MS: '300',
      DLQ_LARGE_BODY_BYTES: '65536',
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'warn',
    },
  },
});
