import { isIP } from 'node:net';

// The client address for login throttling. Behind a reverse proxy (TRUST_PROXY=true) it
// is the LAST X-Forwarded-For entry: the one our proxy appended, which the client cannot
// forge (entries before it are whatever the client sent). Without a trusted proxy the
// header proves nothing: Next.js fills X-Forwarded-For from the socket only when the
// client did not send one, and route handlers cannot see the socket. Then the address is
// unknown (null) and only the per-email limit applies (docs/decisions/0013).

type THeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: THeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function clientIp(headers: THeaders, { trustProxy }: { trustProxy: boolean }): string | null {
  if (!trustProxy) return null;
  const last = header(headers, 'x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  if (!last) return null;
  // "[::1]:443" and "1.2.3.4:5678" from proxies that add the port.
  const bare = last.replace(/^\[(.+)\](?::\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  return isIP(bare) ? bare.toLowerCase() : null;
}
