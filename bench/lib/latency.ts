import { percentile, round } from './stats';
import type { TConsoleServer } from './types';

// Request latency over HTTP, measured from the client: the time until the whole body has
// arrived. Requests run `concurrency` at a time; each answer must be 200 or the measure
// fails loudly (a fast error page is not a fast list).

export type TLatency = { requests: number; concurrency: number; p50: number; p95: number; p99: number; max: number; mean: number };

export async function measureLatency(
  server: TConsoleServer,
  paths: (i: number) => string,
  { requests, concurrency = 1, warmup = 10 }: { requests: number; concurrency?: number; warmup?: number },
): Promise<TLatency> {
  const get = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
    const body = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 500)}`);
    return ms;
  };
  for (let i = 0; i < warmup; i++) await get(paths(i));
  const times: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < requests) {
      const i = next++;
      times.push(await get(paths(i)));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return {
    requests,
    concurrency,
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
    max: round(Math.max(...times)),
    mean: round(times.reduce((s, t) => s + t, 0) / times.length),
  };
}
