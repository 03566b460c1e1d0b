import { actorKey, type TActor } from '../actor';
import type { BulkJob } from '../db/generated/client';
import { APPROVAL_PERMISSION } from '../approvals/approval-kinds';
import { canActor } from '../permissions/require-permission';
import type { TJobActionInput, TJobKind, TJobStatus } from './job-input';
import { outboxLimit, publishes } from './outbox-backlog';

// The shape the jobs API returns. `can` is what this caller may do with the job now, by
// the same rules pause/resume/cancel enforce, so the UI shows only buttons that work.

export type TCanaryState = 'none' | 'pending' | 'waiting' | 'passed' | 'halted';

export type TJob = {
  id: string;
  kind: TJobKind;
  status: TJobStatus;
  reason: string | null;
  selection: { filters: Record<string, unknown> | null; named: boolean; maxId: string | null; count: number };
  input: TJobActionInput;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  remaining: number;
  ratePerSecond: number;
  /** Messages per second over the last 10 s. */
  observedRate: number;
  etaSeconds: number | null;
  /**
   * A running replay or redirect held because the outbox is behind (RabbitMQ away, or the
   * publisher slower than the rates asked for): `due` unpublished rows, counted up to
   * limit + 1, against the job's `limit`. Null when the job is not held.
   */
  heldByOutbox: { due: number; limit: number } | null;
  canary: { size: number; waitSeconds: number; until: string | null; passedAt: string | null; state: TCanaryState };
  haltReason: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  approval: { id: string; status: string } | null;
  can: { pause: boolean; resume: boolean; cancel: boolean };
};

export type TJobStats = { skipped: number; recent: number };

export const RATE_WINDOW_SECONDS = 10;

const PAUSABLE: readonly TJobStatus[] = ['queued', 'running', 'canary'];
const CANCELLABLE: readonly TJobStatus[] = ['awaiting_approval', 'queued', 'running', 'canary', 'paused'];

export function isPausable(status: string): boolean {
  return (PAUSABLE as readonly string[]).includes(status);
}
export function isCancellable(status: string): boolean {
  return (CANCELLABLE as readonly string[]).includes(status);
}

/** A job the outbox can hold now: a replay or redirect, running or in its canary (lib/jobs/outbox-backlog.ts). */
export function holdable(row: Pick<BulkJob, 'status' | 'kind'>): boolean {
  return (row.status === 'running' || row.status === 'canary') && publishes(row.kind);
}

function canaryState(row: BulkJob): TCanaryState {
  if (row.canarySize === 0) return 'none';
  if (row.canaryPassedAt) return 'passed';
  if (row.status === 'halted') return 'halted';
  return row.canaryUntil ? 'waiting' : 'pending';
}

/** `outboxDue`: due, unpublished outbox rows, counted up to the largest limit among the jobs shown + 1; null when no job shown could be held. */
export function toJobDto(row: BulkJob, stats: TJobStats, approval: { id: string; status: string } | null, actor: TActor, outboxDue: number | null = null): TJob {
  const kind = row.kind as TJobKind;
  const status = row.status as TJobStatus;
  const selection = row.selection as { filters?: Record<string, unknown> | null; named?: boolean; maxId?: string | null; count?: number };
  const remaining = Math.max(0, row.total - row.done - row.failed - stats.skipped);
  const observedRate = Math.round((stats.recent / RATE_WINDOW_SECONDS) * 10) / 10;
  const active = status === 'running' || status === 'canary' || status === 'queued';
  const pace = observedRate > 0 ? observedRate : status === 'running' ? row.ratePerSecond : 0;
  const allowed = canActor(actor, APPROVAL_PERMISSION[kind]);
  const limit = holdable(row) ? outboxLimit(kind, row.ratePerSecond) : null;
  return {
    id: row.id,
    kind,
    status,
    reason: row.reason,
    selection: { filters: selection.filters ?? null, named: selection.named ?? false, maxId: selection.maxId ?? null, count: selection.count ?? row.total },
    input: row.input as TJobActionInput,
    total: row.total,
    done: row.done,
    failed: row.failed,
    skipped: stats.skipped,
    remaining,
    ratePerSecond: row.ratePerSecond,
    observedRate,
    etaSeconds: active && pace > 0 ? Math.ceil(remaining / pace) : remaining === 0 && active ? 0 : null,
    heldByOutbox: limit !== null && outboxDue !== null && outboxDue > limit ? { due: Math.min(outboxDue, limit + 1), limit } : null,
    canary: {
      size: row.canarySize,
      waitSeconds: Math.round(row.canaryWaitMs / 1000),
      until: row.canaryUntil?.toISOString() ?? null,
      passedAt: row.canaryPassedAt?.toISOString() ?? null,
      state: canaryState(row),
    },
    haltReason: row.haltReason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    approval,
    can: {
      pause: allowed && isPausable(status),
      resume: allowed && status === 'paused',
      cancel: allowed && isCancellable(status) && (status !== 'awaiting_approval' || row.createdByKey === actorKey(actor) || canActor(actor, 'settings:manage')),
    },
  };
}
