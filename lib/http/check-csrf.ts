// CSRF defence for cookie-authenticated API calls (docs/decisions/0013-authentication.md):
// a state-changing request must say it comes from the console's own origin. Browsers set
// Origin on every cross-origin request and on same-origin ones other than GET/HEAD, and
// Sec-Fetch-Site on all of them; a page elsewhere cannot forge either. Bearer-token calls
// do not come here: a browser never attaches that header by itself.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type TCsrfInput = {
  method: string;
  /** The Origin header, if any. */
  origin: string | null;
  /** The Sec-Fetch-Site header, if any. */
  secFetchSite: string | null;
  /** The console's origin: NEXTAUTH_URL's, else the request's own Host-derived one. */
  appOrigin: string;
};

/** True when the request may go on. */
export function isSameOriginRequest({ method, origin, secFetchSite, appOrigin }: TCsrfInput): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  // "null" (sandboxed frames, some redirects) is an origin we cannot trust, not a missing one.
  if (origin !== null) return normaliseOrigin(origin) === normaliseOrigin(appOrigin);
  return secFetchSite === 'same-origin';
}

function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/** The origin to compare with: the configured public URL's, else this request's own. */
export function appOriginOf({ nextAuthUrl, requestUrl, host }: { nextAuthUrl?: string; requestUrl: string; host: string | null }): string {
  if (nextAuthUrl) return new URL(nextAuthUrl).origin;
  const url = new URL(requestUrl);
  return host ? `${url.protocol}//${host}` : url.origin;
}
