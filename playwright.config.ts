import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';
import { freePort } from './lib/testing/free-port';


// One throwaway database per run, named here once: Playwright's workers inherit this
// process's environment, so the fixtures seed the same database the server reads.
process.env.E2E_DATABASE_URL ??= `postgresql://postgres@127.0.0.1:5432/dlq_e2e_${randomBytes(4).toString('hex')}`;
// A free port, so the suite runs beside a console already listening on 3000.
process.env.E2E_PORT ??= String(await freePort());
const port = Number(process.env.E2E_PORT);
process.env.E2E_BASE_URL ??= `http://127.0.0.1:${port}`;
// The mock OpenID Connect provider (e2e/support/mock-oidc.ts) the console signs in with.
while (!process.env.E2E_OIDC_PORT || process.env.E2E_OIDC_PORT === process.env.E2E_PORT) process.env.E2E_OIDC_PORT = String(await freePort());
process.env.E2E_OIDC_ISSUER ??= `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`;
const oidcClient = { id: 'dlq-console-e2e', secret: 'e2e-only-oidc-client-secret' };
// Shared with the specs, which forge session cookies to test their lifetime (e2e/auth/sessions.spec.ts).
process.env.E2E_NEXTAUTH_SECRET ??= 'e2e-only-secret-e2e-only-secret-e2e-only';
// Operability: the bearer token of /api/metrics, and the worker's own metrics port.
process.env.E2E_METRICS_TOKEN ??= 'e2e-only-metrics-token';
while (!process.env.E2E_WORKER_METRICS_PORT || [process.env.E2E_PORT, process.env.E2E_OIDC_PORT].includes(process.env.E2E_WORKER_METRICS_PORT)) {
  process.env.E2E_WORKER_METRICS_PORT = String(await freePort());
}

export default defineConfig({
  testDir: 'e2e',
  // The hostile-input specs record their cases; the teardown writes reports/faults.json.
  globalSetup: './e2e/support/report-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  outputDir: 'test-results/e2e-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [{
    command: 'node_modules/.bin/tsx e2e/support/mock-oidc.ts',
    url: `${process.env.E2E_OIDC_ISSUER}/.well-known/openid-configuration`,
    timeout: 30_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { MOCK_OIDC_PORT: process.env.E2E_OIDC_PORT, MOCK_OIDC_CLIENT_ID: oidcClient.id, MOCK_OIDC_CLIENT_SECRET: oidcClient.secret },
  }, {
    command: 'node_modules/.bin/tsx e2e/support/serve.ts',
    url: `${process.env.E2E_BASE_URL}/api/v1/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      // Set explicitly so a developer's .env cannot point the e2e worker at real queues:
      // it would consume their dead letters into this throwaway database.
      RABBITMQ_URL: process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
      DLQ_SOURCES: '',
      PORT: String(port),
      NEXTAUTH_URL: process.env.E2E_BASE_URL,
      NEXTAUTH_SECRET: process.env.E2E_NEXTAUTH_SECRET,
      DLQ_SOURCES_REFRESH_MS: '300',
      DLQ_LARGE_BODY_BYTES: '65536',
      DLQ_INLINE_BODY_BYTES: '65536',
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'warn',
      // Operability: the worker counts inflow, evaluates alerts and beats often, so specs see changes within seconds.
      METRICS_TOKEN: process.env.E2E_METRICS_TOKEN,
      WORKER_METRICS_PORT: process.env.E2E_WORKER_METRICS_PORT,
      DLQ_INFLOW_INTERVAL_MS: '1000',
      DLQ_ALERT_INTERVAL_MS: '1000',
      DLQ_HEARTBEAT_INTERVAL_MS: '1000',
      DLQ_TRACE_URL_TEMPLATE: 'https://tempo.example/explore?traceId={traceId}',
      // The specs' webhook receivers listen on 127.0.0.1, a loopback address the SSRF policy refuses by default.
      DLQ_WEBHOOK_ALLOW_PRIVATE: 'true',
      // Single sign-on against the mock provider; e2e/auth/oidc.spec.ts relies on these maps.
      OIDC_ISSUER: process.env.E2E_OIDC_ISSUER,
      OIDC_CLIENT_ID: oidcClient.id,
      OIDC_CLIENT_SECRET: oidcClient.secret,
      OIDC_NAME: 'Mock SSO',
      OIDC_ROLE_MAP: 'dlq-admins=admin,dlq-audit=auditor,sre=operator,support=support_lead',
      OIDC_TEAM_MAP: 'sre-billing=oidc-e2e-billing,sre-shipping=oidc-e2e-shipping',
      // No TRUST_PROXY: every test signs in from 127.0.0.1, and a per-address limit would
      // throttle the suite; the per-email limit applies (e2e/auth/login-throttle.spec.ts).
    },
  }],
});
