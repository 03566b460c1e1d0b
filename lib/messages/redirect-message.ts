import { actorLabel } from '../actor';
import { gateMessageAction } from '../approvals/gate-message-action';
import type { TAuditEventInput } from '../audit/record-audit-event';
import { createDispatches, describeTarget, type TDispatchIntent } from '../dispatch/create-dispatches';
import { AppError } from '../errors';
import type { TRedirectRequest } from './action-input';
import { resolveRevision } from './resolve-revision';
import type { TPublishResult } from './replay-message';
import type { TPendingApproval } from '../approvals/approval-kinds';
import { approvalNote, assertNotDiscarded, assertNotPublishing, runMessageAction, type TActionRequest } from './run-message-action';

// Redirect: hand the message to the team that owns it, or to every team so the owner picks
// it up. One action; one dispatch per team. The publish says where it came from and why.
// A message of a protected source is sent for approval instead (docs/decisions/0012).

export async function redirectMessage(request: TActionRequest & { input: TRedirectRequest }) {
  const { actor, input } = request;
  return runMessageAction<TPublishResult, TPendingApproval>({ ...request, version: input.version, permission: 'messages:redirect', action: 'redirect', input }, async (tx, message, newVersion) => {
    assertNotPublishing(message, 'redirect');
    assertNotDiscarded(message, 'redirect');
    const teams = input.allTeams
      ? await tx.team.findMany({ orderBy: { name: 'asc' } })
      : await tx.team.findMany({ where: { name: input.team } });
    if (input.team !== undefined && teams.length === 0) throw new AppError('INVALID_INPUT', `Unknown team "${input.team}"`);
    if (teams.length === 0) throw new AppError('INVALID_INPUT', 'There are no teams to redirect to; an admin adds them on the Teams page');
    const revision = await resolveRevision(tx, message.id, input.revision);
    const pending = await gateMessageAction(tx, { request, kind: 'redirect', messageId: message.id, input });
    if (pending) return { pending };
    const intents: TDispatchIntent[] = teams.map((t) => ({
      kind: 'redirect',
      exchange: t.exchange ?? '',
      routingKey: t.exchange !== null ? (t.routingKey ?? '') : (t.queue ?? ''),
      teamId: t.id,
      teamName: t.name,
    }));
    const created = await createDispatches(tx, { message, revisionId: revision.id, intents, actor: actorLabel(actor), reason: input.reason ?? null, notify: !request.deferNotify });
    const audit: TAuditEventInput = {
      actor: actorLabel(actor),
      action: 'message.redirect_requested',
      subject: `message:${message.id}`,
      messageId: message.id,
      reason: input.reason ?? null,
      requestId: request.requestId,
      target: input.allTeams ? `all teams (${teams.length}): ${teams.map((t) => t.name).join(', ')}` : describeTarget(intents[0]!),
      before: { status: message.status, version: message.version },
      after: { status: 'redirecting', version: newVersion, revision: revision.number, actionId: created.actionId, dispatchIds: created.dispatches.map((d) => d.id), ...approvalNote(request) },
    };
    const result: TPublishResult = created;
    return { result, status: 'redirecting' as const, audit };
  });
}
