import { createHash, randomUUID } from 'node:crypto';
import { actorKey, actorLabel, type TActor } from '../actor';
import { approvalGrounds } from '../approvals/approval-grounds';
import { APPROVAL_PERMISSION } from '../approvals/approval-kinds';
import { requestApproval } from '../approvals/request-approval';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { canonicalJson } from '../ingest/to-dead-letter-row';
import { claimIdempotencyKey, isIdempotencyKey, storeIdempotentAnswer } from '../messages/run-message-action';
import { requirePermission } from '../permissions/require-permission';
import { scopeOf } from '../permissions/team-scope';
import { checkJobRequest } from './check-job-request';
import { freezeSelection } from './freeze-selection';
import { toJobDtos } from './get-job';
import type { TJob } from './job-dto';
import { toJobActionInput, type TJobRequest } from './job-input';
import { recordJobEvent } from './record-job-event';

// Creates a bulk job (docs/decisions/0016): the selection is frozen into the job's items,
// in id order, in the same transaction as the job row and its 'job.created' event, which
// carries every frozen id. Over the approval threshold or touching a protected source it
// waits for a second person (lib/approvals) and an approval names it; otherwise it is
// queued and a worker picks it up. Nothing is acted on here.
//
// An Idempotency-Key makes a retried create answer with the job the first call created.

/** How many of a job's message ids its approval request lists; the job holds them all. */
export const APPROVAL_SAMPLE_IDS = 100;

export type TCreatedJob = { job: TJob; approval: { id: string; grounds: string[] } | null; replayed: boolean };

type TStoredAnswer = { jobId: string; approval: { id: string; grounds: string[] } | null };

export async function createJob({ actor, input, requestId, idempotencyKey }: {
  actor: TActor;
  input: TJobRequest;
  requestId?: string;
  idempotencyKey?: string;
}): Promise<TCreatedJob> {
  if (input.dryRun) throw new AppError('INVALID_INPUT', 'A dry run creates nothing; use previewJob');
  requirePermission(actor, APPROVAL_PERMISSION[input.action]);
  if (idempotencyKey !== undefined && !isIdempotencyKey(idempotencyKey)) {
    throw new AppError('INVALID_INPUT', 'Idempotency-Key must be 1 to 200 printable ASCII characters');
  }
  const requestHash = createHash('sha256').update(`job\n${canonicalJson(input)}`).digest('hex');

  const answer = await prisma().$transaction(async (tx) => {
    if (idempotencyKey !== undefined) {
      const prior = await claimIdempotencyKey(tx, { actor, key: idempotencyKey, requestHash });
      if (prior?.status === 200) return { ...(prior.response as TStoredAnswer), replayed: true };
    }
    const options = await checkJobRequest(tx, { actor, input });
    const { ids, maxId } = await freezeSelection(tx, { actor, selection: input.selection });
    const grounds = await approvalGrounds(tx, { kind: input.action, messageIds: ids });
    const id = randomUUID();
    const actionInput = toJobActionInput(input) as Prisma.InputJsonObject;
    const selection = 'filters' in input.selection
      ? { filters: JSON.parse(JSON.stringify(input.selection.filters)), named: false, maxId: String(maxId), count: ids.length }
      : { filters: null, named: true, maxId: String(maxId), count: ids.length };
    const status = grounds.length > 0 ? 'awaiting_approval' : 'queued';
    const canarySize = options.canary ? Math.min(options.canary.size, ids.length) : 0;
    await tx.bulkJob.create({
      data: {
        id, kind: input.action, status, input: actionInput, selection, total: ids.length, ratePerSecond: options.ratePerSecond,
        canarySize, canaryWaitMs: options.canary ? options.canary.waitSeconds * 1000 : 0, reason: input.reason ?? null,
        createdBy: actorLabel(actor), createdByKey: actorKey(actor), scopeTeamIds: scopeOf(actor)?.teamIds ?? [],
      },
    });
    await tx.$executeRaw`
      INSERT INTO bulk_job_items (job_id, position, message_id, canary)
      SELECT ${id}::uuid, t.ord::int - 1, t.id, t.ord <= ${canarySize}
      FROM unnest(${ids}::bigint[]) WITH ORDINALITY AS t(id, ord)`;
    const approval = grounds.length > 0
      ? (await requestApproval({
          actor, kind: input.action, messageIds: ids.slice(0, APPROVAL_SAMPLE_IDS), input: actionInput, reason: input.reason ?? null,
          requestId, job: { id, total: ids.length, grounds },
        }, tx)).approval
      : null;
    await recordJobEvent(tx, {
      jobId: id,
      actor: actorLabel(actor),
      action: 'job.created',
      reason: input.reason ?? null,
      requestId,
      result: `${ids.length} message${ids.length === 1 ? '' : 's'} frozen${approval ? ', waiting for approval' : ', queued'}`,
      after: {
        job: id, kind: input.action, status, input: actionInput, ratePerSecond: options.ratePerSecond, canary: options.canary,
        selection: { ...selection, ids: ids.map(String) },
        ...(approval ? { approval: approval.id, grounds } : {}),
      } as Prisma.InputJsonObject,
    });
    const stored: TStoredAnswer = { jobId: id, approval: approval ? { id: approval.id, grounds } : null };
    if (idempotencyKey !== undefined) await storeIdempotentAnswer(tx, { actor, key: idempotencyKey, response: stored });
    return { ...stored, replayed: false };
  }, { maxWait: 10_000, timeout: 120_000 });

  const row = await prisma().bulkJob.findUniqueOrThrow({ where: { id: answer.jobId } });
  const [job] = await toJobDtos(prisma(), actor, [row]);
  return { job: job!, approval: answer.approval, replayed: answer.replayed };
}
