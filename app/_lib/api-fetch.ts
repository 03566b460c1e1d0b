import { ApiError } from './api-error';
import { loginUrl } from './login-url';

type TErrorBody = { error?: { code?: unknown; message?: unknown; details?: unknown } };

async function readError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as TErrorBody | null;
  const code = typeof body?.error?.code === 'string' ? body.error.code : `HTTP_${response.status}`;
  const message =
    typeof body?.error?.message === 'string' ? body.error.message : `The server answered ${response.status} ${response.statusText}`;
  return new ApiError(response.status, code, message, body?.error?.details);
}

/** Calls the console's own API for JSON; a lost session sends the browser to /login and back. */
export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  const headers = new Headers(init?.headers);
  headers.set('accept', 'application/json');
  try {
    response = await fetch(path, { ...init, headers, credentials: 'same-origin', cache: 'no-store' });
  } catch (error) {
    if (init?.signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK', 'Cannot reach the console server. Check your connection and retry.');
  }
  if (response.status === 401) {
    window.location.assign(loginUrl({ expired: true }));
    throw await readError(response);
  }
  if (!response.ok) throw await readError(response);
  return (await response.json()) as T;
}

/**
 * POSTs a JSON body. The Idempotency-Key makes a retry (a double click, a timeout) get the
 * first call's answer instead of acting twice (docs/decisions/0007).
 */
export function apiPost<T>(path: string, body: unknown, { idempotencyKey }: { idempotencyKey?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  return apiFetch<T>(path, { method: 'POST', headers, body: JSON.stringify(body) });
}
