import { NextResponse, type NextRequest } from 'next/server';

// Runs before every page (not the API, not static files):
// - a Content-Security-Policy with a fresh nonce per request. Next.js reads the nonce from
//   the request's CSP header and puts it on its own scripts; 'strict-dynamic' lets those
//   load the page's chunks, and nothing else runs (docs/decisions/0013-authentication.md);
// - x-console-path, so a shared link opened without a session comes back to that page
//   after sign-in. It authorizes nothing: the layout and every route handler check the
//   session themselves.

function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }) {
  return [
    "default-src 'self'",
    // React in development rebuilds server error stacks with eval; never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Inline style attributes (React's style={...}) and Next's injected styles: no script runs from CSS.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('x-console-path', request.nextUrl.pathname + request.nextUrl.search);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  // Read at run time (next.config.js headers are fixed at build time): only a console
  // served over https may tell browsers to insist on https.
  if (process.env.NEXTAUTH_URL?.startsWith('https://')) {
    response.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  }
  return response;
}

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon\\.ico|favicon\\.svg).*)'],
};
