import type { TActor } from '../actor';
import { APPROVAL_PERMISSION } from '../approvals/approval-kinds';
import type { Prisma } from '../db/generated/client';
import { env } from '../env';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import type { TJobRequest } from './job-input';

// What a job request must satisfy before anything is selected: the caller's permissions
// (a patch is an edit too), the rate within DLQ_JOB_MAX_RATE, a team that exists. Each
// message is still checked by its own action when its turn comes.

export type TJobOptions = { ratePerSecond: number; canary: { size: number; waitSeconds: number } | null };

export async function checkJobRequest(db: Prisma.TransactionClient, { actor, input }: { actor: TActor; input: TJobRequest }): Promise<TJobOptions> {
  requirePermission(actor, APPROVAL_PERMISSION[input.action]);
  if (input.action !== 'discard' && input.jsonPatch) requirePermission(actor, 'messages:edit');
  const { DLQ_JOB_DEFAULT_RATE, DLQ_JOB_MAX_RATE } = env();
  const ratePerSecond = input.ratePerSecond ?? Math.min(DLQ_JOB_DEFAULT_RATE, DLQ_JOB_MAX_RATE);
  if (ratePerSecond > DLQ_JOB_MAX_RATE) {
    throw new AppError('INVALID_INPUT', `"ratePerSecond" must be at most ${DLQ_JOB_MAX_RATE} (DLQ_JOB_MAX_RATE)`);
  }
  if (input.action === 'redirect') {
    const teams = input.allTeams ? await db.team.count() : await db.team.count({ where: { name: input.team } });
    if (input.team !== undefined && teams === 0) throw new AppError('INVALID_INPUT', `Unknown team "${input.team}"`);
    if (teams === 0) throw new AppError('INVALID_INPUT', 'There are no teams to redirect to; an admin adds them on the Teams page');
  }
  const canary = input.action === 'discard' ? null : input.canary ?? null;
  return { ratePerSecond, canary };
}
