import 'server-only';
import { randomUUID } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import type { TActor } from '../actor';
import { actorLabel } from '../actor';
import { resolveActor } from '../auth/session';
import { env } from '../env';
import { AppError, HTTP_STATUS } from '../errors';
import { bindLogContext, log, withLogContext } from '../log';
import { normaliseRoute } from '../metrics/normalise-route';
import { observeHttpRequest } from '../metrics/web-metrics';
import { requirePermission } from '../permissions/require-permission';
import type { TPermission } from '../permissions/roles';
import { appOriginOf, isSameOriginRequest } from './check-csrf';

// The one wrapper for API route handlers: resolve the actor (bearer token or session),
// refuse a cross-site state change made with the session cookie (CSRF), check the named
// permission, run the handler, map errors to JSON, log one line.

type TContext<P> = { request: NextRequest; actor: TActor; params: P; requestId: string };
type TRouteContext<P> = { params: Promise<P> };

export function errorResponse(code: keyof typeof HTTP_STATUS, message: string, requestId?: string, details?: unknown) {
  const error = details === undefined ? { code, message } : { code, message, details };
  return NextResponse.json({ error }, { status: HTTP_STATUS[code], headers: requestId ? { 'x-request-id': requestId } : {} });
}

export function withOperator<P = Record<string, never>>(
  handler: (ctx: TContext<P>) => Promise<Response>,
  { permission }: { permission: TPermission },
) {
  return async (request: NextRequest, context: TRouteContext<P>): Promise<Response> => {
    const requestId = randomUUID();
    const started = performance.now();
    let actor: TActor | null = null;
    let response: Response;
    try {
      actor = await resolveActor(request);
      if (!actor) {
        response = errorResponse('UNAUTHORIZED', 'Sign in or send a valid API token (Authorization: Bearer dlq_...)', requestId);
      } else if (actor.kind === 'user' && !isSameOriginRequest(csrfInput(request))) {
        response = errorResponse('FORBIDDEN', 'Cross-site request refused (CSRF)', requestId);
      } else {
        requirePermission(actor, permission);
        // Every line logged while the handler runs carries the request id.
        const ctx = { request, actor, params: await context.params, requestId };
        const handled = await withLogContext({ requestId }, () => handler(ctx));
        // A body is read after the handler returns (a streamed export): its reads keep the request id.
        response = handled.body ? new Response(bindLogContext({ requestId }, handled.body), handled) : handled;
      }
    } catch (error) {
      if (error instanceof AppError) {
        response = errorResponse(error.code, error.message, requestId, error.details);
      } else {
        log.error('request failed', { requestId, error });
        response = errorResponse('INTERNAL', `Internal error (request id ${requestId})`, requestId);
      }
    }
    response.headers.set('x-request-id', requestId);
    log.info('request', {
      requestId, method: request.method, path: request.nextUrl.pathname, status: response.status,
      ms: Math.round(performance.now() - started), actor: actor ? actorLabel(actor) : null,
    });
    // The route label is the pattern (/api/v1/messages/[id]), never the raw path: bounded cardinality.
    const params = await Promise.resolve(context?.params).catch(() => undefined) as Record<string, string | string[] | undefined> | undefined;
    observeHttpRequest({ method: request.method, route: normaliseRoute(request.nextUrl.pathname, params), status: response.status, seconds: (performance.now() - started) / 1000 });
    return response;
  };
}

/** A session actor came from the cookie (resolveActor lets a bearer header win), so check where the request came from. */
function csrfInput(request: NextRequest) {
  return {
    method: request.method,
    origin: request.headers.get('origin'),
    secFetchSite: request.headers.get('sec-fetch-site'),
    appOrigin: appOriginOf({ nextAuthUrl: env().NEXTAUTH_URL, requestUrl: request.url, host: request.headers.get('host') }),
  };
}
