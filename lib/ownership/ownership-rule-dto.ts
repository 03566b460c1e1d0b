import { z } from 'zod';
import type { OwnershipRule } from '../db/generated/client';
import { hasControlCharacters } from '../validation/text';
import { globProblem, jsonPathProblem } from './match-patterns';

// An ownership rule names the team that owns the messages it matches
// (docs/decisions/0017-ownership-rules-and-retention.md):
// - origin_queue: the queue that dead-lettered it, a glob (`*` any characters);
// - routing_key: a routing key it was published with, an AMQP topic pattern (`*` one word, `#` zero or more);
// - header: the header named by matchKey, its value exactly or a glob;
// - json_path: the value at the path matchKey in a JSON body, exactly.

export const MATCH_KINDS = ['origin_queue', 'routing_key', 'header', 'json_path'] as const;
export type TMatchKind = (typeof MATCH_KINDS)[number];

export const MATCH_KIND_LABELS: Record<TMatchKind, string> = {
  origin_queue: 'Origin queue',
  routing_key: 'Routing key',
  header: 'Header',
  json_path: 'JSON path',
};

const text = (what: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`) })
    .min(1, `${what} is empty`)
    .refine((s) => Buffer.byteLength(s, 'utf8') <= max, `${what} is longer than ${max} bytes`)
    .refine((s) => !hasControlCharacters(s), `${what} contains control characters`);

const ZTeamId = z.uuid({ error: 'teamId must be a team id' });

/** A rule's fields, as POST /api/v1/ownership-rules and the preview take them. */
export const ZOwnershipRuleFields = z.strictObject({
  teamId: ZTeamId,
  matchKind: z.enum(MATCH_KINDS, { error: `matchKind must be one of ${MATCH_KINDS.join(', ')}` }),
  matchKey: text('matchKey', 255).nullish(),
  pattern: text('pattern', 1000),
  enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
});

export type TOwnershipRuleFields = z.input<typeof ZOwnershipRuleFields>;

/** The problem with a rule's match, or null: the key a kind needs, and a JSON path that parses. */
export function matchProblem(rule: { matchKind: TMatchKind; matchKey?: string | null; pattern: string }): string | null {
  const needsKey = rule.matchKind === 'header' || rule.matchKind === 'json_path';
  if (needsKey && !rule.matchKey) return rule.matchKind === 'header' ? 'a header rule needs matchKey: the header name' : 'a JSON path rule needs matchKey: the path, e.g. $.customer.region';
  if (!needsKey && rule.matchKey) return `a ${MATCH_KIND_LABELS[rule.matchKind].toLowerCase()} rule takes no matchKey`;
  if (rule.matchKind === 'json_path') {
    const problem = jsonPathProblem(rule.matchKey!);
    if (problem) return `matchKey: ${problem}`;
  }
  if (rule.matchKind === 'routing_key' && rule.pattern.split('.').some((w) => w === '')) return 'pattern: a routing key pattern has no empty words (check the dots)';
  if (rule.matchKind === 'origin_queue' || rule.matchKind === 'header') {
    const problem = globProblem(rule.pattern);
    if (problem) return `pattern: ${problem}`;
  }
  return null;
}

export const ZOwnershipRuleInput = ZOwnershipRuleFields.superRefine((rule, ctx) => {
  const problem = matchProblem(rule);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).transform((r) => ({ ...r, matchKey: r.matchKey ?? null, enabled: r.enabled ?? true }));
export type TOwnershipRuleInput = z.output<typeof ZOwnershipRuleInput>;

/** The body of PATCH /api/v1/ownership-rules/{id}: the fields to change, or a new position on its own. */
export const ZOwnershipRuleUpdate = ZOwnershipRuleFields.partial()
  .extend({ position: z.number({ error: 'position must be a number' }).int('position must be a whole number').min(1, 'position starts at 1').optional() })
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'nothing to change: give the fields to change, or a position')
  .refine((u) => u.position === undefined || Object.entries(u).every(([k, v]) => k === 'position' || v === undefined), 'move a rule (position) in a request of its own');
export type TOwnershipRuleUpdate = z.input<typeof ZOwnershipRuleUpdate>;

export type TOwnershipRule = {
  id: string;
  position: number;
  teamId: string;
  teamName: string;
  matchKind: TMatchKind;
  matchKey: string | null;
  pattern: string;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Messages this rule assigned to its team. */
  tagged: number;
};

export function toRuleDto(row: OwnershipRule & { team: { name: string } }, tagged = 0): TOwnershipRule {
  return {
    id: row.id, position: row.position, teamId: row.teamId, teamName: row.team.name, matchKind: row.matchKind as TMatchKind,
    matchKey: row.matchKey, pattern: row.pattern, enabled: row.enabled, createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(), tagged,
  };
}

/** The rule as the audit trail keeps it. */
export function toRuleAudit(row: Pick<OwnershipRule, 'position' | 'teamId' | 'matchKind' | 'matchKey' | 'pattern' | 'enabled'> & { team: { name: string } }) {
  return { position: row.position, team: row.team.name, teamId: row.teamId, matchKind: row.matchKind, matchKey: row.matchKey, pattern: row.pattern, enabled: row.enabled };
}
