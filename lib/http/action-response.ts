import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { TActor } from '../actor';
import { getMessage } from '../messages/get-message';

/** The Idempotency-Key header, when the caller sent one (validated by the action). */
export function idempotencyKey(request: NextRequest): string | undefined {
  return request.headers.get('idempotency-key') ?? undefined;
}

/**
 * An action's answer: its stored result plus the message as it is now (with the new
 * version). A retried call with the same Idempotency-Key says so in a header.
 */
export async function actionResponse(
  { actor, id, status }: { actor: TActor; id: string; status: number },
  { result, replayed }: { result: object; replayed: boolean },
) {
  const message = await getMessage({ actor, id });
  return NextResponse.json({ ...result, message }, { status, headers: replayed ? { 'idempotent-replayed': 'true' } : {} });
}
