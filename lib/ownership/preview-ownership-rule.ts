import { z } from 'zod';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { scopeMessageWhere } from '../permissions/team-scope';
import { parseInput } from '../validation/text';
import { assertRuleReadsNoMaskedValue } from './assert-rule-reads-no-masked-value';
import { compileRule } from './evaluate-rules';
import { loadRuleSubjects, projectionsOf } from './load-rule-subjects';
import { ZOwnershipRuleFields, ZOwnershipRuleInput } from './ownership-rule-dto';

// What a rule would match before it is saved: evaluated in memory against the most recent
// stored messages the caller may see. Bounded by design: never a scan of the whole table.

export const PREVIEW_MAX_SCAN = 1000;
const SAMPLE_SIZE = 20;

/** The body of POST /api/v1/ownership-rules/preview: a rule's fields and how many recent messages to try it on. */
export const ZPreviewRequest = ZOwnershipRuleFields.extend({
  limit: z.number({ error: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit is at least 1').max(PREVIEW_MAX_SCAN, `limit is at most ${PREVIEW_MAX_SCAN}`).optional(),
});
export type TPreviewRequest = z.input<typeof ZPreviewRequest>;

export type TPreviewSample = {
  id: string;
  sourceQueue: string;
  originQueue: string | null;
  routingKey: string | null;
  status: string;
  ingestedAt: string;
  /** The team that owns it now, if any. */
  ownerTeamId: string | null;
  ownerTeamName: string | null;
};

export type TRulePreview = {
  /** How many of the most recent messages were tried. */
  scanned: number;
  matched: number;
  /** Of the matched, those owned by another team or by none now. */
  changes: number;
  sample: TPreviewSample[];
};

export async function previewOwnershipRule({ actor, request }: { actor: TActor; request: TPreviewRequest }): Promise<TRulePreview> {
  requirePermission(actor, 'teams:ownership');
  const { limit, ...fields } = parseInput(ZPreviewRequest, request);
  const rule = parseInput(ZOwnershipRuleInput, fields);
  const db = prisma();
  await assertRuleReadsNoMaskedValue({ actor, rule, db });
  if (!(await db.team.findUnique({ where: { id: rule.teamId }, select: { id: true } }))) throw new AppError('INVALID_INPUT', `No team with id ${rule.teamId}`);
  const compiled = compileRule({ id: 'preview', ...rule });
  const rows = await db.message.findMany({
    where: scopeMessageWhere(actor),
    orderBy: { id: 'desc' },
    take: limit ?? PREVIEW_MAX_SCAN,
    select: { id: true, sourceQueue: true, originQueue: true, routingKeys: true, deliveryRoutingKey: true, status: true, ingestedAt: true, ownerTeamId: true, ownerTeam: { select: { name: true } } },
  });
  const subjects = await loadRuleSubjects(db, rows.map((r) => r.id), projectionsOf([compiled.rule]));
  const matched = rows.filter((m) => compiled.matches(subjects.get(m.id)!));
  return {
    scanned: rows.length,
    matched: matched.length,
    changes: matched.filter((m) => m.ownerTeamId !== rule.teamId).length,
    sample: matched.slice(0, SAMPLE_SIZE).map((m) => ({
      id: m.id.toString(), sourceQueue: m.sourceQueue, originQueue: m.originQueue, routingKey: m.routingKeys[0] ?? m.deliveryRoutingKey,
      status: m.status, ingestedAt: m.ingestedAt.toISOString(), ownerTeamId: m.ownerTeamId, ownerTeamName: m.ownerTeam?.name ?? null,
    })),
  };
}
