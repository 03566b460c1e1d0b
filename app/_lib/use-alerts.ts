'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TAlert } from '@/lib/alerts/alert-dto';
import type { TAlertRule, TAlertRuleFields, TAlertRuleUpdate } from '@/lib/alerts/alert-rule-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

// Alerts and their rules. Alerts are read every 5 s: the worker evaluates on its own clock
// and a firing should show without a reload.

const ALERTS = ['alerts'];
const RULES = ['alert-rules'];
const rulePath = (id: string) => `/api/v1/alert-rules/${encodeURIComponent(id)}`;
const POLL_MS = 5_000;

export function useAlerts() {
  return useQuery({
    queryKey: ALERTS,
    queryFn: ({ signal }) => apiFetch<{ open: TAlert[]; recent: TAlert[] }>('/api/v1/alerts', { signal }),
    refetchInterval: POLL_MS,
  });
}

export function useAlertRules() {
  return useQuery({
    queryKey: RULES,
    queryFn: ({ signal }) => apiFetch<{ items: TAlertRule[] }>('/api/v1/alert-rules', { signal }),
    select: (data) => data.items,
    refetchInterval: POLL_MS * 6,
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: RULES }), client.invalidateQueries({ queryKey: ALERTS })]);
}

/** Adds a rule, or with an id changes it (`version` is the one read). */
export function useSaveAlertRule() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: { id: string; changes: TAlertRuleUpdate } | { id?: undefined; rule: TAlertRuleFields }) =>
      'changes' in input
        ? apiFetch<{ rule: TAlertRule }>(rulePath(input.id), jsonRequest('PATCH', input.changes))
        : apiFetch<{ rule: TAlertRule }>('/api/v1/alert-rules', jsonRequest('POST', input.rule)),
    onSettled: invalidate,
  });
}

export function useDeleteAlertRule() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) => apiFetch<{ rule: TAlertRule }>(rulePath(id), jsonRequest('DELETE', { version })),
    onSettled: invalidate,
  });
}
