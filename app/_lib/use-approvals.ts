'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { TApprovalDetail, TApprovalSummary } from '@/lib/approvals/approval-dto';
import type { TApprovalStatus } from '@/lib/approvals/approval-kinds';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';
import type { TActionAnswer } from './use-message-action';

// Four-eyes requests: the list, one request, and deciding on it. A decision that ran the
// action changed messages too, so their pages are read again.

export const APPROVALS_REFRESH_MS = 10_000;

type TPage = { items: TApprovalSummary[]; nextCursor: string | null };

export function useApprovals(filters: { status?: TApprovalStatus | ''; messageId?: string } = {}, { enabled = true } = {}) {
  const query = new URLSearchParams({ limit: '200' });
  if (filters.status) query.set('status', filters.status);
  if (filters.messageId) query.set('messageId', filters.messageId);
  return useQuery({
    queryKey: ['approvals', filters],
    queryFn: ({ signal }) => apiFetch<TPage>(`/api/v1/approvals?${query}`, { signal }),
    refetchInterval: APPROVALS_REFRESH_MS,
    enabled,
  });
}

export function useApproval(id: string | null) {
  return useQuery({
    queryKey: ['approval', id],
    queryFn: ({ signal }) => apiFetch<TApprovalDetail>(`/api/v1/approvals/${encodeURIComponent(id!)}`, { signal }),
    enabled: id !== null,
    // An approved request that has not finished is running (or stopped): follow it.
    refetchInterval: (q) => (q.state.data?.status === 'approved' && !q.state.data.executedAt ? 2_000 : APPROVALS_REFRESH_MS),
  });
}

export type TApprovalDecision = 'approve' | 'reject' | 'cancel';

export function useDecideApproval(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ decision, reason }: { decision: TApprovalDecision; reason?: string }) =>
      apiFetch<{ approval: TApprovalDetail }>(`/api/v1/approvals/${encodeURIComponent(id)}/${decision}`, jsonRequest('POST', reason ? { reason } : {})),
    onSuccess: ({ approval }) => client.setQueryData(['approval', id], approval),
    onSettled: () =>
      Promise.all(
        [['approvals'], ['approval', id], ['message'], ['messages'], ['message-counts'], ['audit']].map((queryKey) => client.invalidateQueries({ queryKey })),
      ),
  });
}

export type TSentApproval = NonNullable<TActionAnswer['approval']>;

/**
 * For an action dialog: an answer that says "sent for approval" keeps the dialog open to
 * say so (and where to follow it); any other answer closes it.
 */
export function useSentForApproval(onClose: () => void) {
  const client = useQueryClient();
  const [sent, setSent] = useState<TSentApproval | null>(null);
  const onAnswer = useCallback((answer: TActionAnswer) => {
    if (!answer.approval) return onClose();
    setSent(answer.approval);
    void client.invalidateQueries({ queryKey: ['approvals'] });
  }, [client, onClose]);
  return { sent, onAnswer };
}
