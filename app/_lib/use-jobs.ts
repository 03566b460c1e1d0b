'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { TCanaryState, TJob } from '@/lib/jobs/job-dto';
import { JOB_STATUSES, type TJobKind, type TJobStatus } from '@/lib/jobs/job-input';
import type { TJobItem } from '@/lib/jobs/list-job-items';
import type { TJobPreview, TPreviewItem } from '@/lib/jobs/preview-job';
import type { TPermission } from '@/lib/permissions/roles';
import { ApiError } from './api-error';
import { apiFetch, apiPost } from './api-fetch';
import { jsonRequest } from './json-request';
import type { TFilters } from './message-filters';
import { newIdempotencyKey } from './new-idempotency-key';

// Bulk jobs: one action (replay, redirect, discard) over a frozen selection of messages,
// run by the worker at a set rate, optionally after a canary. The list and one job are read
// every second while something moves, slower once everything has settled.

export const JOB_ACTIONS = ['replay', 'redirect', 'discard'] as const satisfies readonly TJobKind[];
export type TJobAction = TJobKind;
export { JOB_STATUSES };
export type { TCanaryState, TJob, TJobItem, TJobStatus };

export type TJobTarget = { queue: string } | { exchange: string; routingKey: string };
export type TJsonPatchOp = { op: string; path: string; value?: unknown; from?: string };

/** The request body of POST /api/v1/jobs as the dialog builds it (the server's ZJobRequest checks it). */
export type TJobBody = {
  action: TJobAction;
  selection: { filters: Partial<TFilters>; expectedCount?: number; maxId?: string } | { ids: string[] };
  reason?: string;
  target?: TJobTarget;
  /** 0 is each message as it arrived; none is each one's latest revision. */
  revision?: number;
  team?: string;
  allTeams?: true;
  jsonPatch?: TJsonPatchOp[];
  ratePerSecond?: number;
  canary?: { size: number; waitSeconds: number };
  dryRun?: boolean;
};

export type TDryRunSample = TPreviewItem;
export type TDryRun = TJobPreview;
export type TJobCreated = { job: TJob; approval?: { id: string; grounds: string[] } };

export const JOB_PERMISSION: Record<TJobAction, TPermission> = {
  replay: 'messages:replay',
  redirect: 'messages:redirect',
  discard: 'messages:discard',
};

export const ACTIVE_STATUSES: readonly TJobStatus[] = ['queued', 'running', 'canary', 'paused', 'awaiting_approval'];
/** Moving: the numbers change by the second. Paused and awaiting approval wait for a person. */
export const MOVING_STATUSES: readonly TJobStatus[] = ['queued', 'running', 'canary'];
export const FAST_REFRESH_MS = 1_000;
export const SLOW_REFRESH_MS = 10_000;

export const CANARY_MAX = 1000;
export const CANARY_WAIT_MAX = 3600;
export const RATE_MAX = 1000;
export const DEFAULT_RATE = 100;

export function isMoving(status: TJobStatus): boolean {
  return MOVING_STATUSES.includes(status);
}

export function jobPath(id: string, rest = '') {
  return `/api/v1/jobs/${encodeURIComponent(id)}${rest}`;
}

type TJobPage = { items: TJob[]; nextCursor: string | null };
type TItemPage = { items: TJobItem[]; nextCursor: string | null };

export function useJobs(status: TJobStatus | '') {
  const query = new URLSearchParams({ limit: '100' });
  if (status) query.set('status', status);
  return useQuery({
    queryKey: ['jobs', status],
    queryFn: ({ signal }) => apiFetch<TJobPage>(`/api/v1/jobs?${query}`, { signal }),
    refetchInterval: (q) => (q.state.data?.items.some((j) => isMoving(j.status)) ? FAST_REFRESH_MS : SLOW_REFRESH_MS),
  });
}

/** After a job stops moving (paused, cancelled, done), how long the page keeps refreshing fast. */
export const SETTLE_MS = 5_000;

export function useJob(id: string) {
  // A pause or cancel stops the job between messages: one already on its way still lands a
  // moment later. Keep watching for a few seconds so the numbers shown are the final ones.
  const stillSince = useRef<{ status: TJobStatus; at: number } | null>(null);
  return useQuery({
    queryKey: ['job', id],
    queryFn: ({ signal }) => apiFetch<TJob>(jobPath(id), { signal }),
    refetchInterval: (q) => {
      const status = q.state.data?.status;
      if (!status) return SLOW_REFRESH_MS;
      if (isMoving(status)) {
        stillSince.current = null;
        return FAST_REFRESH_MS;
      }
      if (stillSince.current?.status !== status) stillSince.current = { status, at: Date.now() };
      return Date.now() - stillSince.current.at < SETTLE_MS ? FAST_REFRESH_MS : SLOW_REFRESH_MS;
    },
  });
}

/** The job's frozen items in order, page by page; followed every 2 s while the job moves and at most two pages are loaded. */
export function useJobItems(id: string, state: string, { live }: { live: boolean }) {
  return useInfiniteQuery({
    queryKey: ['job', id, 'items', state],
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: '100' });
      if (state) query.set('state', state);
      if (pageParam) query.set('cursor', pageParam);
      return apiFetch<TItemPage>(`${jobPath(id, '/items')}?${query}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (q) => ((q.state.data?.pages.length ?? 0) > 2 ? false : live ? 2_000 : SLOW_REFRESH_MS),
  });
}

export type TJobControl = 'pause' | 'resume' | 'cancel';

export function useJobControl(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ control, reason }: { control: TJobControl; reason?: string }) =>
      apiFetch<TJob>(jobPath(id, `/${control}`), jsonRequest('POST', reason ? { reason } : {})),
    onSuccess: (job) => client.setQueryData(['job', id], job),
    onSettled: () => Promise.all([['jobs'], ['job', id], ['audit']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

/** The dry run: nothing is changed, so it needs no Idempotency-Key. */
export function useDryRun() {
  return useMutation({
    mutationFn: (body: TJobBody) => apiPost<TDryRun>('/api/v1/jobs', { ...body, dryRun: true }),
  });
}

/**
 * Creates the job. The key is made once per dialog, so a double click or a retry after a
 * timeout makes one job; after a definite refusal (4xx) the next attempt gets a new key.
 */
export function useCreateJob() {
  const client = useQueryClient();
  const [key, setKey] = useState(newIdempotencyKey);
  return useMutation({
    mutationFn: (body: TJobBody) => apiPost<TJobCreated>('/api/v1/jobs', { ...body, dryRun: false }, { idempotencyKey: key }),
    onSuccess: ({ job }) => {
      client.setQueryData(['job', job.id], job);
      void client.invalidateQueries({ queryKey: ['jobs'] });
      void client.invalidateQueries({ queryKey: ['approvals'] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) setKey(newIdempotencyKey());
    },
  });
}

// Pure helpers (tested in use-jobs.test.ts).

/** 75 → "1m 15s", 3700 → "1h 1m", 0 → "0s", null → "—". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** 12.345 → "12.3/s", 0.04 → "0.04/s", null → "—". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  if (rate === 0) return '0/s';
  if (rate < 1) return `${rate.toFixed(2)}/s`;
  if (rate < 100) return `${(Math.round(rate * 10) / 10).toLocaleString('en-US')}/s`;
  return `${Math.round(rate).toLocaleString('en-US')}/s`;
}

/** Whole percent of the total that is settled (done or failed), floored so 99.9% never reads 100%. */
export function progressPercent(job: Pick<TJob, 'done' | 'failed' | 'total'>): number {
  if (job.total <= 0) return 0;
  return Math.min(100, Math.floor(((job.done + job.failed) / job.total) * 100));
}

/** Seconds left until an instant, never negative; null when there is none. */
export function secondsUntil(iso: string | null, now: number): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export type TPatchCheck = { ok: true; ops: TJsonPatchOp[] | undefined } | { ok: false; error: string };
const PATCH_OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/** The JSON patch textarea: empty means none; otherwise a JSON array of RFC 6902 operations. */
export function parseJsonPatch(text: string): TPatchCheck {
  if (text.trim() === '') return { ok: true, ops: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!Array.isArray(value)) return { ok: false, error: 'A JSON patch is an array of operations: [{ "op": "replace", "path": "/a", "value": 1 }]' };
  if (value.length === 0) return { ok: false, error: 'The patch has no operations; leave the box empty for none.' };
  for (const [i, op] of value.entries()) {
    if (typeof op !== 'object' || op === null || Array.isArray(op)) return { ok: false, error: `Operation ${i + 1} is not an object.` };
    const { op: name, path } = op as Record<string, unknown>;
    if (typeof name !== 'string' || !PATCH_OPS.includes(name)) return { ok: false, error: `Operation ${i + 1}: "op" must be one of ${PATCH_OPS.join(', ')}.` };
    if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) return { ok: false, error: `Operation ${i + 1}: "path" must be a JSON pointer such as "/customer/id".` };
    if (['add', 'replace', 'test'].includes(name) && !('value' in op)) return { ok: false, error: `Operation ${i + 1}: "${name}" needs a "value".` };
    if (['move', 'copy'].includes(name) && typeof (op as Record<string, unknown>).from !== 'string') return { ok: false, error: `Operation ${i + 1}: "${name}" needs a "from" pointer.` };
  }
  return { ok: true, ops: value as TJsonPatchOp[] };
}

/** The non-empty filters only, as the API takes them. */
export function activeFilters(filters: Partial<TFilters>): Partial<TFilters> {
  const out: Partial<TFilters> = {};
  for (const [key, value] of Object.entries(filters) as [keyof TFilters, string | undefined][]) if (value) out[key] = value;
  return out;
}

/** "queue billing-in", "exchange billing / key invoice.created", or the text the server sent. */
export function describeTarget(target: unknown): string {
  if (target === null || target === undefined) return '—';
  if (typeof target === 'string') return target;
  if (typeof target === 'object') {
    const t = target as Record<string, unknown>;
    if (typeof t.queue === 'string') return `queue ${t.queue}`;
    if (typeof t.exchange === 'string') return t.exchange === '' ? `queue ${String(t.routingKey ?? '')}` : `exchange ${t.exchange} / key ${String(t.routingKey ?? '')}`;
    if (typeof t.team === 'string') return `team ${t.team}`;
    if (Array.isArray(t.teams)) return `teams ${t.teams.join(', ')}`;
  }
  return JSON.stringify(target);
}

export const ACTION_VERBS: Record<TJobAction, { verb: string; past: string; noun: string }> = {
  replay: { verb: 'Replay', past: 'replayed', noun: 'replay' },
  redirect: { verb: 'Redirect', past: 'redirected', noun: 'redirect' },
  discard: { verb: 'Discard', past: 'discarded', noun: 'discard' },
};

/** "Replay 5,000 messages", "Discard 1 message". */
export function confirmLabel(action: TJobAction, count: number): string {
  return `${ACTION_VERBS[action].verb} ${count.toLocaleString('en-US')} ${count === 1 ? 'message' : 'messages'}`;
}
