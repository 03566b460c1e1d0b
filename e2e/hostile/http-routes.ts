import { discoverApiRoutes } from '../support/api-routes';

// The state-changing API routes the hostile HTTP specs send bad input to, each with a body
// it would take, so a case can change exactly one thing about it.

export const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type TMethod = (typeof METHODS)[number];
export const NO_SUCH_UUID = '00000000-0000-4000-8000-000000000000';

/**
 * A body each route would take (or near enough: the case under test must be the first
 * problem). null: the route takes no body, so anything but nothing or {} is refused.
 */
export const BODIES: Record<string, Record<string, unknown> | null> = {
  'POST alert-rules': { name: 'hostile rule' },
  'PATCH alert-rules/[id]': { version: 1, name: 'hostile rule' },
  'DELETE alert-rules/[id]': { version: 1 },
  'POST approvals/[id]/approve': { reason: 'hostile' },
  'POST approvals/[id]/reject': { reason: 'hostile' },
  'POST approvals/[id]/cancel': { reason: 'hostile' },
  'POST audit/verify': null,
  'PUT contracts': { origin: 'hostile.orders', schema: {} },
  'DELETE contracts': null,
  'POST failure-category-rules': { category: 'hostile', pattern: 'x' },
  'DELETE failure-category-rules/[id]': null,
  'POST jobs': { action: 'discard', selection: { ids: ['1'] }, reason: 'hostile' },
  'POST jobs/[id]/pause': { reason: 'hostile' },
  'POST jobs/[id]/resume': { reason: 'hostile' },
  'POST jobs/[id]/cancel': { reason: 'hostile' },
  'POST messages/[id]/replay': { version: 1, reason: 'hostile' },
  'POST messages/[id]/redirect': { version: 1, allTeams: true, reason: 'hostile' },
  'POST messages/[id]/discard': { version: 1, reason: 'hostile' },
  'POST messages/[id]/restore': { version: 1, reason: 'hostile' },
  'POST messages/[id]/revisions': { version: 1, body: { encoding: 'utf8', data: '{}' }, headers: {}, reason: 'hostile' },
  'POST messages/bulk': { action: 'discard', ids: ['1'], reason: 'hostile' },
  'POST ownership-rules': { teamId: NO_SUCH_UUID, matchKind: 'origin_queue', pattern: 'hostile.*' },
  'PATCH ownership-rules/[id]': { enabled: true },
  'DELETE ownership-rules/[id]': null,
  'POST ownership-rules/preview': { teamId: NO_SUCH_UUID, matchKind: 'origin_queue', pattern: 'hostile.*' },
  'POST redaction-rules': { pattern: 'x' },
  'DELETE redaction-rules/[id]': null,
  'PUT retention': { sourceQueue: 'hostile.dlq', status: 'discarded', days: 1 },
  'DELETE retention': { sourceQueue: 'hostile.dlq', status: 'discarded' },
  'PUT runbooks': { kind: 'origin', key: 'hostile.orders', url: 'https://runbooks.example/x' },
  'DELETE runbooks': { kind: 'origin', key: 'hostile.orders' },
  'POST sandboxes': { name: 'hostile', url: 'amqp://127.0.0.1:1' },
  'DELETE sandboxes/[id]': null,
  'PATCH settings': { approvalThreshold: 5 },
  'POST sources': { queue: 'hostile.new-source' },
  'PATCH sources/[queue]': { protected: true },
  'DELETE sources/[queue]': null,
  'POST teams': { name: 'hostile-team-new', queue: 'hostile.inbox' },
  'PATCH teams/[id]': { name: 'hostile-renamed' },
  'DELETE teams/[id]': null,
  'PUT teams/[id]/members': { users: [] },
  'PUT teams/[id]/ownership': { origins: [], sources: [] },
  'POST tokens': { name: 'hostile', role: 'viewer' },
  'DELETE tokens/[id]': null,
  'POST users': { email: 'hostile-new@example.com', password: 'a long enough password', role: 'viewer' },
  'PATCH users/[id]': { role: 'viewer' },
  'POST users/[id]/disable': null,
  'POST users/[id]/enable': null,
  'PUT users/[id]/password': { password: 'a long enough password' },
  'DELETE users/[id]/sessions': null,
};

/** 'METHOD route' for every state-changing method exported by app/api/v1/**\/route.ts. */
export function mutatingRoutes(): string[] {
  const found: string[] = [];
  for (const [route, methods] of discoverApiRoutes()) {
    for (const method of methods) if ((METHODS as readonly string[]).includes(method)) found.push(`${method} ${route}`);
  }
  return found.sort();
}

