// The console's HTTP API as a script calls it: a bearer token, JSON in and out, and an
// error that says which call answered what.

export type TApi = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, expected?: number[]) => Promise<T>;

export function apiClient(baseUrl: string, token: string): TApi {
  return async (method, path, body, expected = [200, 201, 202]) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 2000)}`);
    return (text ? JSON.parse(text) : {}) as never;
  };
}
