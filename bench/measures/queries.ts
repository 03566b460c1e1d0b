import { prisma } from '../../lib/db/prisma';
import { measureLatency, type TLatency } from '../lib/latency';
import { SEED_WORDS, seedOrderNumber } from '../lib/seed';
import type { TBenchContext, TBenchRow, TConsoleServer, TMeasure } from '../lib/types';

// Query latency on the seeded database (ctx.sizes.stored messages, bench/lib/seed-database.ts),
// over HTTP against the production build: the message list (filters operators use, and
// deeper pages by following nextCursor), full-text and id search, and the failure-group
// list. Each request is one page of 50, as the UI asks.
// Paged requests are prepared by walking the pages first (a cursor only comes from the page
// before it), then timed in a shuffled order.

const PAGE = 50;
/** Pages a client walks per filter: the first and the ones its cursors lead to. */
const DEPTH = 5;

type TTargets = { p95: number; p99?: number };

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return q.toString();
}

/** A deterministic shuffle, so two runs time the same requests in the same order. */
function shuffle<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The first page of each filter and the pages its nextCursor leads to, up to `depth` per filter, `total` paths in all. */
async function walkPages(server: TConsoleServer, base: string, filters: string[], total: number, depth = DEPTH): Promise<string[]> {
  const paths: string[] = [];
  for (let f = 0; paths.length < total; f++) {
    const filter = filters[f % filters.length]!;
    let cursor: string | null = null;
    for (let page = 0; page < depth && paths.length < total; page++) {
      const path: string = `${base}?${filter}${filter ? '&' : ''}${query({ limit: String(PAGE), cursor: cursor ?? undefined })}`;
      paths.push(path);
      const response: Response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      cursor = ((await response.json()) as { nextCursor: string | null }).nextCursor;
      if (!cursor) break;
    }
  }
  return paths;
}

function row(name: string, latency: TLatency, targets: TTargets, detail: Record<string, unknown>): TBenchRow {
  const met = latency.p95 <= targets.p95 && (targets.p99 === undefined || latency.p99 <= targets.p99);
  return {
    measure: name,
    baseline: '-',
    value: latency.p95,
    unit: 'ms p95',
    baselineValue: null,
    ratio: null,
    target: `p95 <= ${targets.p95} ms${targets.p99 === undefined ? '' : `, p99 <= ${targets.p99} ms`}`,
    met,
    detail: { ...latency, ...detail },
  };
}

function timed(ctx: TBenchContext, label: string, server: TConsoleServer, paths: string[]): Promise<TLatency> {
  ctx.log(`queries: ${label}: ${ctx.sizes.requests} requests over ${new Set(paths).size} distinct paths...`);
  return measureLatency(server, (i) => paths[i % paths.length]!, { requests: ctx.sizes.requests });
}

export const measure: TMeasure = {
  name: 'queries',
  async run(ctx) {
    const seeded = ctx.seeded;
    if (!seeded) throw new Error('queries: no seeded database (run.ts prepares it)');
    const { names } = seeded;
    const stored = await prisma().message.count();
    const groups = await prisma().failureGroup.findMany({ select: { id: true, originQueue: true }, orderBy: { messageCount: 'desc' } });
    const server = await ctx.consoleServer();
    const requests = ctx.sizes.requests;
    const pick = <T>(list: readonly T[], i: number) => list[(i * 7919) % list.length]!;

    // The list: the filters of the list page (source, status, origin, reason, group and mixes).
    const listFilters = Array.from({ length: Math.ceil(requests / DEPTH) }, (_, i) => {
      const source = pick(names.sources, i);
      const origin = pick(names.origins, i + 3);
      const group = pick(groups, i + 1)?.id.toString();
      return [
        query({ source }),
        query({ source, status: 'new' }),
        query({ origin }),
        query({ reason: pick(['rejected', 'expired', 'delivery_limit', 'maxlen'], i) }),
        query({ group }),
        query({ status: pick(['replayed', 'discarded', 'failed', 'new'], i) }),
        query({ origin, status: pick(['new', 'replayed'], i), reason: 'rejected' }),
        query({ source, reason: pick(['rejected', 'expired'], i) }),
        '',
      ][i % 9]!;
    });
    const listPaths = shuffle(await walkPages(server, '/api/v1/messages', listFilters, requests));
    const list = await timed(ctx, 'message list', server, listPaths);

    // Search: words of the seeded bodies (common to rare), names, phrases, prefixes, OR, an
    // exclusion, and ids (order numbers, pasted whole), alone and with a source.
    const seededTotal = Math.max(1, seeded.firstIndex + seeded.added);
    const idOf = (i: number) => seedOrderNumber((i * 104729) % seededTotal);
    const searches = Array.from({ length: Math.ceil(requests / 2) }, (_, i) => {
      const source = i % 3 === 0 ? pick(names.sources, i) : undefined;
      const q = [
        pick(SEED_WORDS.common, i),
        pick(SEED_WORDS.medium, i),
        pick(SEED_WORDS.rare, i),
        `${pick(SEED_WORDS.names, i)} ${pick(SEED_WORDS.medium, i + 1)}`,
        `"${pick(['linen sheets', 'walnut desk', 'gift wrap requested', 'rain jacket', 'chef knife'], i)}"`,
        `${pick(SEED_WORDS.medium, i).slice(0, 5)}*`,
        `${pick(SEED_WORDS.rare, i)} OR ${pick(SEED_WORDS.rare, i + 1)}`,
        `${pick(SEED_WORDS.medium, i)} -${pick(SEED_WORDS.rare, i)}`,
        idOf(i),
        idOf(i + 1).toLowerCase(),
      ][i % 10]!;
      return query({ q, source });
    });
    const searchPaths = shuffle(await walkPages(server, '/api/v1/messages', searches, requests, 2));
    const search = await timed(ctx, 'search', server, searchPaths);

    // Failure groups: most recent first (the page's default), largest first, by origin,
    // category and status, a text filter on the exception.
    const groupFilters = Array.from({ length: 60 }, (_, i) => [
      '',
      query({ sort: 'count' }),
      query({ origin: pick(names.origins, i) }),
      query({ category: pick(['transient', 'persistent', 'unknown'], i) }),
      query({ status: 'new' }),
      query({ q: pick(['timeout', 'ValidationException', 'conflict'], i) }),
    ][i % 6]!);
    const groupPaths = shuffle(await walkPages(server, '/api/v1/groups', groupFilters, requests, 3));
    const groupList = await timed(ctx, 'failure groups', server, groupPaths);

    const sizes = { stored, groups: groups.length, seeded: seeded.added, seedSeconds: Math.round(seeded.seconds), indexSeconds: Math.round(seeded.indexSeconds) };
    return {
      rows: [
        row(`message list, page of ${PAGE}, filtered, cursor-paged (${stored} stored)`, list, { p95: 50, p99: 100 }, { ...sizes, distinctPaths: new Set(listPaths).size }),
        row(`full-text and id search, page of ${PAGE} (${stored} stored)`, search, { p95: 300 }, { ...sizes, distinctPaths: new Set(searchPaths).size }),
        row(`failure-group list, page of ${PAGE} (${groups.length} groups)`, groupList, { p95: 200 }, { ...sizes, distinctPaths: new Set(groupPaths).size }),
      ],
      series: [],
      notes: [
        'paged requests were walked once before being timed, so their cursors are real',
      ],
    };
  },
};
