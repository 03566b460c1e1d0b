import { z } from 'zod';
import type { Prisma } from '../db/generated/client';
import { ZExchangeName, ZQueueName, ZRoutingKey } from '../validation/broker-names';
import { hasControlCharacters } from '../validation/text';

// A team is where a redirect sends a dead letter: a queue (through the default exchange),
// or an exchange with a routing key. Never both: the table's check constraint says so too.

export const ZTeamName = z
  .string({ error: (issue) => (issue.input === undefined ? 'name is required' : 'name must be a string') })
  .trim()
  .min(1, 'name is empty')
  .max(100, 'name is longer than 100 characters')
  .refine((s) => !hasControlCharacters(s), 'name contains control characters');

export type TTeamDestination = { queue: string } | { exchange: string; routingKey: string };

// The destination as three fields, as a team is listed: echoing a listed team back (with
// the unused fields null) is a valid input.
const DESTINATION_FIELDS = {
  queue: ZQueueName.nullish(),
  exchange: ZExchangeName.nullish(),
  routingKey: ZRoutingKey.nullish(),
};
type TDestinationFields = { queue?: string | null; exchange?: string | null; routingKey?: string | null };

const isGiven = (value: string | null | undefined): value is string => value !== undefined && value !== null;

/** The destination the fields name, or an issue saying what is missing or too much. */
function toDestination(fields: TDestinationFields, ctx: z.RefinementCtx): TTeamDestination {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  const { queue, exchange, routingKey } = fields;
  if (isGiven(queue) && (isGiven(exchange) || isGiven(routingKey))) return fail('a team sends to a queue, or to an exchange with a routing key, not both');
  if (isGiven(queue)) return { queue };
  if (!isGiven(exchange)) return fail('a team needs a destination: a queue, or an exchange with a routing key');
  if (!isGiven(routingKey)) return fail('an exchange needs a routing key (it may be empty for a fanout exchange)');
  return { exchange, routingKey };
}

/** Empty means none. */
const ZContact = z
  .string({ error: 'contact must be a string' })
  .trim()
  .max(200, 'contact is longer than 200 characters')
  .refine((s) => !hasControlCharacters(s), 'contact contains control characters')
  .transform((s) => s || null);

/** The body of POST /api/v1/teams, field by field (readJsonBody names the field at fault). */
export const ZTeamFields = z.strictObject({ name: ZTeamName, ...DESTINATION_FIELDS, contact: ZContact.nullish() });

export const ZTeamInput = ZTeamFields
  .transform(({ name, contact, ...fields }, ctx) => ({ name, contact: contact ?? null, destination: toDestination(fields, ctx) }));
export type TTeamInput = z.input<typeof ZTeamInput>;

/**
 * Only the fields given change; contact null (or "") clears it. A destination is replaced
 * whole: any of queue, exchange, routingKey means all three are the new destination.
 */
/** The body of PATCH /api/v1/teams/{id}, field by field. */
export const ZTeamUpdateFields = z.strictObject({ name: ZTeamName.optional(), ...DESTINATION_FIELDS, contact: ZContact.nullish() });

export const ZTeamUpdate = ZTeamUpdateFields
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'nothing to change: give a name, a destination or a contact')
  .transform(({ name, contact, ...fields }, ctx) => ({
    name,
    contact,
    destination: Object.values(fields).some((v) => v !== undefined) ? toDestination(fields, ctx) : undefined,
  }));
export type TTeamUpdate = z.input<typeof ZTeamUpdate>;

/** A team as it is listed: its destination is `queue`, or `exchange` with `routingKey`; the others are null. */
export type TTeam = {
  id: string;
  name: string;
  queue: string | null;
  exchange: string | null;
  routingKey: string | null;
  contact: string | null;
  /** The queues it owns (lib/permissions/team-scope.ts): where its messages died, and dead-letter queues. */
  origins: string[];
  sources: string[];
  /** Its members' emails. */
  members: string[];
  createdAt: string;
  updatedAt: string;
};

/** What every query that returns a team reads with it. */
export const TEAM_INCLUDE = {
  ownerships: { select: { kind: true, queue: true } },
  members: { select: { user: { select: { email: true } } } },
} as const satisfies Prisma.TeamInclude;

type TTeamRow = Prisma.TeamGetPayload<{ include: typeof TEAM_INCLUDE }>;

export function toTeamDto(row: TTeamRow): TTeam {
  const owned = (kind: string) => row.ownerships.filter((o) => o.kind === kind).map((o) => o.queue).sort();
  return {
    id: row.id, name: row.name, queue: row.queue, exchange: row.exchange, routingKey: row.routingKey, contact: row.contact,
    origins: owned('origin'), sources: owned('source'), members: row.members.map((m) => m.user.email).sort(),
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(),
  };
}

/** The team as the audit trail keeps it: what it is, not when it was written. Ownership and members have events of their own. */
export function toTeamAudit(team: TTeam) {
  return { name: team.name, queue: team.queue, exchange: team.exchange, routingKey: team.routingKey, contact: team.contact };
}

/** The columns a destination is stored in (the others null). */
export function destinationColumns(destination: TTeamDestination) {
  return 'queue' in destination
    ? { queue: destination.queue, exchange: null, routingKey: null }
    : { queue: null, exchange: destination.exchange, routingKey: destination.routingKey };
}

/** "queue orders" or "exchange billing / key invoices", as the audit trail names a target. */
export function describeTeamDestination(team: Pick<TTeam, 'queue' | 'exchange' | 'routingKey'>): string {
  return team.queue !== null ? `queue ${team.queue}` : `exchange ${team.exchange} / key ${team.routingKey}`;
}
