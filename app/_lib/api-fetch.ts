import { ApiError } from './api-error';
import { loginUrl } from './login-url';

type TErrorBody = { error?: { code?: unknown; message?: unknown } };

async function readError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as TErrorBody | null;
  const code = typeof body?.error?.code === 'string' ? body.error.code : `HTTP_${response.status}`;
  const message =
    typeof body?.error?.message === 'string' ? body.error.message : `The server answered ${response.status} ${response.statusText}`;
  return new ApiError(response.status, code, message);
}

/** GETs JSON from the console's own API; a lost session sends the browser to /login and back. */
export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the console server. Check your connection and retry.');
  }
  if (response.status === 401) {
    window.location.assign(loginUrl({ expired: true }));
    throw await readError(response);
  }
  if (!response.ok) throw await readError(response);
  return (await response.json()) as T;
}
