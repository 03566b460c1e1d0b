'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TUser } from '@/lib/users/user-dto';
import { apiFetch } from './api-fetch';
import { jsonRequest } from './json-request';

const USERS = ['users'];

export type TNewUserBody = { email: string; password: string; role: string; name: string | null; teams: string[]; teamScoped: boolean };
export type TUserChanges = { name?: string | null; role?: string; teamScoped?: boolean; teams?: string[] };

export function useUsers({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: USERS,
    queryFn: ({ signal }) => apiFetch<{ items: TUser[] }>('/api/v1/users', { signal }),
    select: (data) => data.items,
    enabled,
  });
}

/** Every user change answers with the user as it now is; the list is re-read after each. */
function useUserMutation<V>(request: (vars: V) => Promise<{ user: TUser }>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    // A change of teams shows on the teams page too.
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: USERS }), client.invalidateQueries({ queryKey: ['teams'] })]),
  });
}

const userPath = (id: string, rest = '') => `/api/v1/users/${encodeURIComponent(id)}${rest}`;

export const useCreateUser = () => useUserMutation((body: TNewUserBody) => apiFetch<{ user: TUser }>('/api/v1/users', jsonRequest('POST', body)));

export const useUpdateUser = () =>
  useUserMutation(({ id, changes }: { id: string; changes: TUserChanges }) => apiFetch<{ user: TUser }>(userPath(id), jsonRequest('PATCH', changes)));

export type TUserAction = 'disable' | 'enable' | 'sign-out';

export const useUserAction = () =>
  useUserMutation(({ id, action }: { id: string; action: TUserAction }) =>
    action === 'sign-out'
      ? apiFetch<{ user: TUser }>(userPath(id, '/sessions'), jsonRequest('DELETE'))
      : apiFetch<{ user: TUser }>(userPath(id, `/${action}`), jsonRequest('POST')),
  );

export const useSetPassword = () =>
  useUserMutation(({ id, password }: { id: string; password: string }) => apiFetch<{ user: TUser }>(userPath(id, '/password'), jsonRequest('PUT', { password })));
