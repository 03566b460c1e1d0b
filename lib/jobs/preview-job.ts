import type { TActor } from '../actor';
import { approvalGrounds } from '../approvals/approval-grounds';
import { HEADER } from '../dispatch/console-headers';
import { describeTarget } from '../dispatch/create-dispatches';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { diffLines, foldRows, type TDiffResult, type TFoldedRow } from '../diff/diff-lines';
import { AppError } from '../errors';
import { checkJobRequest } from './check-job-request';
import { freezeSelection } from './freeze-selection';
import type { TJobRequest } from './job-input';
import { diffText, patchBody } from './patch-body';

// The dry run: what a job would do, read only. The exact selection (count and highest id,
// which the operator then confirms), whether it needs a second person, and for the first
// messages where each would go, with which console headers and which revision, and the
// patch's diff; every message is checked, so the count of those that would fail is exact.

export const SAMPLE_SIZE = 20;
const CHECK_BATCH = 500;

type TDiffSample = Extract<TDiffResult, { ok: false }> | { ok: true; identical: boolean; stats: { added: number; removed: number; changed: number }; rows: TFoldedRow[] };

export type TPreviewItem = {
  messageId: string;
  target: string | null;
  revision: string;
  headersAdded: Record<string, string>;
  diff?: TDiffSample;
  error?: string;
};

export type TJobPreview = {
  dryRun: true;
  total: number;
  maxId: string | null;
  needsApproval: boolean;
  grounds: string[];
  sample: TPreviewItem[];
  errors: number;
  /** The first few failures, for the operator to see why. */
  errorSamples: { messageId: string; error: string }[];
};

type TRow = {
  id: bigint; status: string; originQueue: string | null; reason: string; replayCount: number; originalMessageId: bigint | null;
  contentEncoding: string | null; body: Uint8Array; latest: number; latestBody: Uint8Array | null; revisions: number[];
};

export async function previewJob({ actor, input }: { actor: TActor; input: TJobRequest }): Promise<TJobPreview> {
  // One snapshot: the count, the sample and the checks all see the same messages.
  return prisma().$transaction((tx) => preview(tx, actor, input), { isolationLevel: 'RepeatableRead', maxWait: 10_000, timeout: 120_000 });
}

async function preview(db: Prisma.TransactionClient, actor: TActor, input: TJobRequest): Promise<TJobPreview> {
  await checkJobRequest(db, { actor, input });
  const selection = 'filters' in input.selection ? { filters: input.selection.filters, maxId: input.selection.maxId } : input.selection;
  const { ids, maxId } = await freezeSelection(db, { actor, selection, allowEmpty: true });
  const grounds = await approvalGrounds(db, { kind: input.action, messageIds: ids });
  const teams = input.action === 'redirect'
    ? await db.team.findMany({ where: input.allTeams ? {} : { name: input.team }, orderBy: { name: 'asc' } })
    : [];

  const sample: TPreviewItem[] = [];
  const errorSamples: { messageId: string; error: string }[] = [];
  let errors = 0;
  for (let i = 0; i < ids.length; i += CHECK_BATCH) {
    const batch = ids.slice(i, i + CHECK_BATCH);
    const withBodies = input.action !== 'discard' && input.jsonPatch !== undefined;
    for (const row of await loadRows(db, batch, withBodies)) {
      const item = describe(row, input, teams);
      if (item.error) {
        errors++;
        if (errorSamples.length < SAMPLE_SIZE) errorSamples.push({ messageId: item.messageId, error: item.error });
      }
      if (sample.length < SAMPLE_SIZE) sample.push(item);
    }
  }
  return { dryRun: true, total: ids.length, maxId: maxId === null ? null : String(maxId), needsApproval: grounds.length > 0, grounds, sample, errors, errorSamples };
}

async function loadRows(db: Prisma.TransactionClient, ids: bigint[], withBodies: boolean): Promise<TRow[]> {
  return db.$queryRaw<TRow[]>`
    SELECT m.id, m.status::text AS status, m.origin_queue AS "originQueue", m.reason::text AS reason, m.replay_count AS "replayCount",
      m.original_message_id AS "originalMessageId", m.content_encoding AS "contentEncoding",
      CASE WHEN ${withBodies} THEN m.body ELSE ''::bytea END AS body,
      COALESCE(r.number, 0) AS latest, CASE WHEN ${withBodies} THEN r.body END AS "latestBody",
      COALESCE((SELECT array_agg(number) FROM message_revisions x WHERE x.message_id = m.id), '{}') AS revisions
    FROM messages m
    LEFT JOIN LATERAL (SELECT number, body FROM message_revisions WHERE message_id = m.id ORDER BY number DESC LIMIT 1) r ON true
    WHERE m.id = ANY(${ids}::bigint[])
    ORDER BY m.id`;
}

function describe(row: TRow, input: TJobRequest, teams: { name: string; exchange: string | null; routingKey: string | null; queue: string | null }[]): TPreviewItem {
  const messageId = String(row.id);
  const base = { messageId, target: null, revision: 'original', headersAdded: {} };
  try {
    if (row.status === 'replaying' || row.status === 'redirecting') throw new AppError('CONFLICT', `its publish is in flight (${row.status})`);
    if (input.action === 'discard') {
      if (row.status === 'discarded') throw new AppError('CONFLICT', 'it is already discarded');
      return { ...base, target: null, revision: 'none (discard)' };
    }
    if (row.status === 'discarded') throw new AppError('CONFLICT', 'it is discarded; restore it first');
    if (input.revision !== undefined && input.revision !== 0 && !row.revisions.includes(input.revision)) throw new AppError('INVALID_INPUT', `it has no revision #${input.revision}`);
    const revisionNumber = input.jsonPatch ? row.latest + 1 : input.revision ?? row.latest;
    const revision = input.jsonPatch ? 'new revision (patch)' : revisionNumber === 0 ? 'original' : `revision ${revisionNumber}`;
    let diff: TDiffSample | undefined;
    if (input.jsonPatch) {
      const { before, after } = patchBody({ messageId: row.id, body: row.latestBody ?? row.body, contentEncoding: row.contentEncoding }, input.jsonPatch);
      const result = diffLines(diffText(before), diffText(after));
      diff = result.ok ? { ok: true, identical: result.identical, stats: result.stats, rows: foldRows(result.rows) } : result;
    }
    const headersAdded: Record<string, string> = {
      [HEADER.replayId]: '(a new id for each publish)',
      [HEADER.replayCount]: String(row.replayCount + 1),
      [HEADER.originalMessageId]: String(row.originalMessageId ?? row.id),
      [HEADER.revision]: String(revisionNumber),
    };
    let target: string;
    if (input.action === 'replay') {
      const t = input.target;
      if (!t && row.originQueue === null) throw new AppError('INVALID_INPUT', 'it has no origin queue (its x-death could not be read); choose a target');
      target = !t ? describeTarget({ exchange: '', routingKey: row.originQueue! }) : 'queue' in t ? describeTarget({ exchange: '', routingKey: t.queue }) : describeTarget(t);
    } else {
      target = teams.map((t) => describeTarget({ exchange: t.exchange ?? '', routingKey: t.exchange !== null ? (t.routingKey ?? '') : (t.queue ?? ''), teamName: t.name })).join('; ');
      if (row.originQueue !== null) headersAdded[HEADER.redirectedFrom] = row.originQueue;
      headersAdded[HEADER.deathReason] = row.reason;
      headersAdded[HEADER.team] = teams.length === 1 ? teams[0]!.name : '(each team\'s name)';
      if (input.reason) headersAdded[HEADER.redirectReason] = input.reason;
    }
    return { messageId, target, revision, headersAdded, ...(diff ? { diff } : {}) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ...base, error: error.message.replace(/^Message \d+: /, '') };
  }
}
