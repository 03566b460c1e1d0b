'use client';

import { useQuery } from '@tanstack/react-query';
import type { TPermission, TRole } from '@/lib/permissions/roles';
import { apiFetch } from './api-fetch';

export type TMe = { kind: 'user' | 'token' | 'system'; email?: string; name?: string; role?: TRole; permissions?: TPermission[] };

/** Who the browser is signed in as, and what the server lets them do. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: ({ signal }) => apiFetch<TMe>('/api/v1/me', { signal }),
    staleTime: 60_000,
  });
}

export function canDo(me: TMe | undefined, permission: TPermission): boolean {
  return me?.permissions?.includes(permission) ?? false;
}
