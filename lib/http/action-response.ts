import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import type { TActor } from '../actor';
import { isPendingApproval } from '../approvals/approval-kinds';
import { getMessage } from '../messages/get-message';

/** The Idempotency-Key header, when the caller sent one (validated by the action). */
export function idempotencyKey(request: NextRequest): string | undefined {
  return request.headers.get('idempotency-key') ?? undefined;
}

export const SENT_FOR_APPROVAL = 'Sent for approval: a second person with the permission must approve it before it runs.';

/**
 * An action's answer: its stored result plus the message as it is now (with the new
 * version). An action that waits for a second person is a 202 whatever the action, with
 * the pending approval and the message unchanged. A retried call with the same
 * Idempotency-Key says so in a header.
 */
export async function actionResponse(
  { actor, id, status }: { actor: TActor; id: string; status: number },
  { result, replayed }: { result: object; replayed: boolean },
) {
  const message = await getMessage({ actor, id });
  const headers: Record<string, string> = replayed ? { 'idempotent-replayed': 'true' } : {};
  if (isPendingApproval(result)) return NextResponse.json({ ...result, note: SENT_FOR_APPROVAL, message }, { status: 202, headers });
  return NextResponse.json({ ...result, message }, { status, headers });
}
