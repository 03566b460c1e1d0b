import { actorKey, type TActor } from '../actor';
import { isPendingApproval, type TApprovalMarker } from '../approvals/approval-kinds';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import type { TTypedTable } from '../ingest/typed-headers';
import { actOnMessage } from '../messages/act-on-each-message';
import { editMessage, type TEditResult } from '../messages/edit-message';
import { toEditableHeaders } from '../messages/editable-headers';
import type { TJobActionInput, TJobKind } from './job-input';
import { patchBody } from './patch-body';

// One message of a job, through the same domain action a single action uses, as the
// requester, with the Idempotency-Key `job:<job>:<message>` (and `...:edit` for the
// revision a JSON patch saves) and the job's approval marker, so the gate does not ask
// again. A rerun after a crash finds each key's stored answer: nothing is acted on twice.

export type TItemOutcome = { state: 'done'; actionId: string | null } | { state: 'failed'; error: string };

export type TJobRun = {
  jobId: string;
  kind: TJobKind;
  input: TJobActionInput;
  actor: TActor;
  approval?: TApprovalMarker;
};

export async function actOnJobItem(run: TJobRun, messageId: bigint): Promise<TItemOutcome> {
  const key = `job:${run.jobId}:${messageId}`;
  try {
    const { jsonPatch, ...fields } = run.input;
    const revision = jsonPatch ? await saveRevision(run, messageId, `${key}:edit`) : fields.revision;
    const input = run.kind === 'replay'
      ? { reason: fields.reason, target: fields.target, revision }
      : run.kind === 'redirect'
        ? { reason: fields.reason, team: fields.team, allTeams: fields.allTeams, revision }
        : { reason: fields.reason };
    const { result } = await actOnMessage({
      actor: run.actor,
      kind: run.kind,
      input: JSON.parse(JSON.stringify(input)) as Record<string, unknown>,
      keyFor: () => key,
      approval: run.approval,
      deferNotify: true,
      job: { id: run.jobId },
    }, messageId);
    if (isPendingApproval(result)) {
      return { state: 'failed', error: `Not acted on: sent for approval (request ${result.approval.id}, ${result.approval.grounds.join(', ')})` };
    }
    return { state: 'done', actionId: typeof result.actionId === 'string' ? result.actionId : null };
  } catch (error) {
    if (error instanceof AppError) return { state: 'failed', error: error.message };
    throw error;
  }
}

/** Applies the job's patch to the message's latest body as a new revision; the revision saved on an earlier run when there was one. */
async function saveRevision(run: TJobRun, messageId: bigint, key: string): Promise<number> {
  const prior = await prisma().idempotentRequest.findUnique({ where: { actor_key: { actor: actorKey(run.actor), key } } });
  if (prior?.status === 200) return (prior.response as unknown as TEditResult).revision.number;
  const message = await prisma().message.findUnique({ where: { id: messageId }, select: { version: true, contentEncoding: true } });
  if (!message) throw new AppError('NOT_FOUND', `No message with id ${messageId}`);
  const latest = await prisma().messageRevision.findFirst({ where: { messageId }, orderBy: { number: 'desc' }, omit: { body: false } });
  const base = latest ?? (await prisma().message.findUniqueOrThrow({ where: { id: messageId }, select: { body: true, headers: true } }));
  const { after } = patchBody({ messageId, body: base.body, contentEncoding: message.contentEncoding }, run.input.jsonPatch!);
  const { result } = await editMessage({
    actor: run.actor,
    id: String(messageId),
    version: message.version,
    idempotencyKey: key,
    fingerprintWithoutVersion: true,
    input: {
      version: message.version,
      body: { encoding: 'utf8', data: after },
      headers: toEditableHeaders(base.headers as TTypedTable),
      reason: run.input.reason ?? `bulk job ${run.jobId}: JSON patch`,
    },
  });
  return (result as TEditResult).revision.number;
}
