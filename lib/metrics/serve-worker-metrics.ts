import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from '../log';
import { workerMetrics } from './worker-metrics';

// GET /metrics for one worker process, on its own port (WORKER_METRICS_HOST:WORKER_METRICS_PORT).
// No token: bind it to an address only the scraper reaches (the default is 127.0.0.1).
// It answers nothing else and reads no request body.

export type TWorkerMetricsServer = { port: number; stop(): Promise<void> };

export async function serveWorkerMetrics({ host, port }: { host: string; port: number }): Promise<TWorkerMetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    const { registry } = workerMetrics();
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
      (error: unknown) => {
        log.error('worker metrics: cannot render', { error });
        response.writeHead(500, { 'content-type': 'text/plain' }).end('cannot render metrics\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const bound = (server.address() as AddressInfo).port;
  log.info('worker metrics: serving /metrics', { host, port: bound });
  return {
    port: bound,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
