'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TAuditIntegrity, TAuditVerificationRecord } from '@/lib/audit/audit-integrity-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const INTEGRITY = ['audit-integrity'];

/** The chain head and the newest recorded verification. */
export function useAuditIntegrity() {
  return useQuery({
    queryKey: INTEGRITY,
    queryFn: ({ signal }) => apiFetch<TAuditIntegrity>('/api/v1/audit/verify', { signal }),
  });
}

/** Verifies the whole chain on the server and records the result; the status then shows it. */
export function useVerifyAuditChain() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<TAuditVerificationRecord>('/api/v1/audit/verify', jsonRequest('POST')),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: INTEGRITY });
      // The verification is an audit event too.
      await client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}
