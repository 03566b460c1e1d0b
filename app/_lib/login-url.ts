/**
 * Only a same-origin path may be a post-login target; anything else (`//evil.example`,
 * `/\evil`, `https://…`, control characters) falls back to the dashboard (the home page).
 */
export function safeCallbackUrl(value: string | undefined | null): string {
  const fallback = '/';
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, 'http://same.invalid');
    if (url.origin !== 'http://same.invalid' || url.pathname.startsWith('/login')) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** The sign-in page, coming back to where the browser is now. */
export function loginUrl({ expired }: { expired: boolean }): string {
  const params = new URLSearchParams({ callbackUrl: window.location.pathname + window.location.search });
  if (expired) params.set('expired', '1');
  return `/login?${params.toString()}`;
}
