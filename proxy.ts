import { NextResponse, type NextRequest } from 'next/server';

// Tells the console layout which page was asked for, so a shared link opened without a
// session comes back to that page after sign-in. It authorizes nothing: the layout and
// every route handler check the session themselves.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set('x-console-path', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ['/messages/:path*', '/sources/:path*', '/teams/:path*', '/sandboxes/:path*', '/contracts/:path*', '/audit/:path*'] };
