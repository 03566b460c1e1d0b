import { randomUUID } from 'node:crypto';
import { actorLabel } from '../actor';
import { APPROVAL_PERMISSION } from '../approvals/approval-kinds';
import { recordAuditEvents, type TAuditEventInput } from '../audit/record-audit-event';
import { assertContract } from '../contracts/check-contract';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { describeTarget, type TDispatchIntent } from '../dispatch/create-dispatches';
import { assertEncodableHeaders, UnsendableHeaderError } from '../dispatch/to-amqp-headers';
import { AppError } from '../errors';
import type { TTypedTable } from '../ingest/typed-headers';
import { parseActionInput } from '../messages/act-on-each-message';
import type { TRedirectRequest, TReplayRequest } from '../messages/action-input';
import {
  actionRequestHash, approvalNote, assertNotDiscarded, assertNotPublishing, idempotencyScope, type TLockedMessage,
} from '../messages/run-message-action';
import { requirePermission } from '../permissions/require-permission';
import { requireMessageInScope } from '../permissions/team-scope';
import type { TItemOutcome, TJobRun } from './act-on-job-item';

// Many items of a job in one transaction (docs/decisions/0016): the same action, checks,
// Idempotency-Keys (`job:<job>:<message>`), outbox rows and audit events as one item at a
// time through runMessageAction, with one statement per step for the whole batch instead of
// about ten round trips per message. A message the action refuses fails alone: its key is
// given back and nothing of it is written; the others commit together with their audit
// events, recorded last in one insert (the chain trigger still chains them row by row). A
// crash before the commit leaves every item of the batch pending and nothing written; after
// it, a rerun finds each key's stored answer. Anything but a refusal (a deadlock, a lost
// connection) rolls the batch back and the caller runs its items one at a time.

const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;
const INGEST_ERROR_HEADER = 'x-dlq-console-ingest-error';

/** A JSON patch saves a revision per message first (editMessage): those items go one at a time. */
export function isBatchable(run: TJobRun): boolean {
  return !run.input.jsonPatch;
}

type TResolved = { id: bigint | null; number: number; headers: TTypedTable };
type TPlanned = { message: TLockedMessage; key: string; revision: TResolved | null };

export async function actOnJobBatch(run: TJobRun, messageIds: readonly bigint[]): Promise<Map<bigint, TItemOutcome>> {
  const outcomes = new Map<bigint, TItemOutcome>();
  const { actor, kind } = run;
  const fields = run.input;
  const stored = kind === 'replay'
    ? { reason: fields.reason, target: fields.target, revision: fields.revision }
    : kind === 'redirect'
      ? { reason: fields.reason, team: fields.team, allTeams: fields.allTeams, revision: fields.revision }
      : { reason: fields.reason };
  let input: ReturnType<typeof parseActionInput>;
  try {
    requirePermission(actor, APPROVAL_PERMISSION[kind]);
    input = parseActionInput(kind, { ...(JSON.parse(JSON.stringify(stored)) as Record<string, unknown>), version: 1 });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    for (const id of messageIds) outcomes.set(id, { state: 'failed', error: error.message });
    return outcomes;
  }
  const scope = idempotencyScope(actor);
  const keyOf = (id: bigint) => `job:${run.jobId}:${id}`;
  const keys = messageIds.map(keyOf);
  const hashes = messageIds.map((id) => actionRequestHash({ action: kind, id: String(id), input, fingerprintWithoutVersion: true }));
  const fail = (id: bigint, error: unknown) => {
    if (!(error instanceof AppError)) throw error;
    outcomes.set(id, { state: 'failed', error: error.message });
  };

  await prisma().$transaction(async (tx) => {
    outcomes.clear();
    const claimed = new Set((await tx.$queryRaw<{ key: string }[]>`
      INSERT INTO idempotent_requests (actor, key, request_hash, status, response)
      SELECT ${scope}, k, h, 0, '{}'::jsonb FROM unnest(${keys}::text[], ${hashes}::text[]) AS t(k, h)
      ON CONFLICT DO NOTHING RETURNING key`).map((r) => r.key));
    const earlier = messageIds.filter((id) => !claimed.has(keyOf(id)));
    if (earlier.length > 0) {
      const priors = new Map((await tx.idempotentRequest.findMany({ where: { actor: scope, key: { in: earlier.map(keyOf) } } })).map((p) => [p.key, p]));
      for (const [i, id] of messageIds.entries()) {
        const prior = priors.get(keys[i]!);
        if (!prior) continue;
        if (prior.requestHash !== hashes[i]) {
          outcomes.set(id, { state: 'failed', error: 'This Idempotency-Key was already used for a different request; use a new key for a new action' });
        } else {
          const actionId = (prior.response as { actionId?: unknown } | null)?.actionId;
          outcomes.set(id, { state: 'done', actionId: typeof actionId === 'string' ? actionId : null });
        }
      }
    }
    const fresh = messageIds.filter((id) => claimed.has(keyOf(id)));
    if (fresh.length === 0) return;

    // Locked in id order, the order the dispatcher locks them in, so the two never deadlock.
    const locked = new Map((await tx.$queryRaw<TLockedMessage[]>`
      SELECT id, version, status::text AS status, status_before_discard::text AS "statusBeforeDiscard",
        origin_queue AS "originQueue", source_queue AS "sourceQueue", owner_team_id::text AS "ownerTeamId", reason::text AS reason,
        content_type AS "contentType", content_encoding AS "contentEncoding", replay_count AS "replayCount",
        replay_id::text AS "replayId", original_message_id AS "originalMessageId", headers
      FROM messages WHERE id = ANY(${fresh}::bigint[]) ORDER BY id FOR UPDATE`).map((m) => [m.id, m]));

    const publishing = kind !== 'discard';
    const revisionNumber = publishing ? (input as TReplayRequest | TRedirectRequest).revision : undefined;
    const revisions = publishing && revisionNumber !== 0 ? await latestRevisions(tx, fresh, revisionNumber) : new Map<bigint, TResolved>();
    const teams = kind === 'redirect' ? await redirectTeams(tx, input as TRedirectRequest).catch((error: unknown) => error) : [];
    const planned: TPlanned[] = [];
    for (const id of fresh) {
      const message = locked.get(id);
      try {
        if (!message) throw new AppError('NOT_FOUND', `No message with id ${id}`);
        requireMessageInScope(actor, message);
        if (kind === 'discard') {
          assertNotPublishing(message, 'discard');
          if (message.status === 'discarded') throw new AppError('CONFLICT', `Message ${message.id} is already discarded`);
          planned.push({ message, key: keyOf(id), revision: null });
          continue;
        }
        if (kind === 'replay' && !(input as TReplayRequest).target && message.originQueue === null) {
          throw new AppError('INVALID_INPUT', `Message ${id} has no origin queue (its x-death could not be read); choose a target queue or exchange`);
        }
        assertNotPublishing(message, kind);
        assertNotDiscarded(message, kind);
        if (teams instanceof Error) throw teams;
        planned.push({ message, key: keyOf(id), revision: resolve(message, revisions.get(id), revisionNumber) });
      } catch (error) {
        fail(id, error);
      }
    }
    if (kind === 'replay') await checkContracts(tx, planned, input as TReplayRequest, fail);

    const acting = planned.filter((p) => !outcomes.has(p.message.id));
    const refused = fresh.filter((id) => outcomes.has(id)).map(keyOf);
    // A refused message changes nothing: its key is given back, as the rollback of its own transaction would.
    if (refused.length > 0) await tx.$executeRaw`DELETE FROM idempotent_requests WHERE actor = ${scope} AND key = ANY(${refused}::text[])`;
    if (acting.length === 0) return;

    const events = kind === 'discard'
      ? await discardAll(tx, run, acting, input)
      : await publishAll(tx, run, acting, input as TReplayRequest | TRedirectRequest, teams as TTeam[]);
    await tx.$executeRaw`
      UPDATE idempotent_requests i SET status = 200, response = r.response
      FROM jsonb_to_recordset(${JSON.stringify(events.map((e) => ({ key: e.key, response: e.result })))}::jsonb) AS r(key text, response jsonb)
      WHERE i.actor = ${scope} AND i.key = r.key`;
    await recordAuditEvents(tx, events.map((e) => e.audit));
    for (const e of events) outcomes.set(e.messageId, { state: 'done', actionId: e.actionId });
  }, TX_OPTIONS);
  return outcomes;
}

type TTeam = { id: string; name: string; exchange: string | null; routingKey: string | null; queue: string | null };
type TDone = { messageId: bigint; key: string; actionId: string | null; result: Prisma.InputJsonObject; audit: TAuditEventInput };

async function redirectTeams(tx: Prisma.TransactionClient, input: TRedirectRequest): Promise<TTeam[]> {
  const teams = input.allTeams
    ? await tx.team.findMany({ orderBy: { name: 'asc' } })
    : await tx.team.findMany({ where: { name: input.team } });
  if (input.team !== undefined && teams.length === 0) throw new AppError('INVALID_INPUT', `Unknown team "${input.team}"`);
  if (teams.length === 0) throw new AppError('INVALID_INPUT', 'There are no teams to redirect to; an admin adds them on the Teams page');
  return teams;
}

/** Each message's revision `number`, or its latest when none is named (lib/messages/resolve-revision.ts, for many messages). */
async function latestRevisions(tx: Prisma.TransactionClient, ids: bigint[], number: number | undefined): Promise<Map<bigint, TResolved>> {
  const rows = number === undefined
    ? await tx.$queryRaw<{ id: bigint; messageId: bigint; number: number; headers: TTypedTable }[]>`
      SELECT DISTINCT ON (message_id) id, message_id AS "messageId", number, headers FROM message_revisions
      WHERE message_id = ANY(${ids}::bigint[]) ORDER BY message_id, number DESC`
    : await tx.$queryRaw<{ id: bigint; messageId: bigint; number: number; headers: TTypedTable }[]>`
      SELECT id, message_id AS "messageId", number, headers FROM message_revisions
      WHERE message_id = ANY(${ids}::bigint[]) AND number = ${number}`;
  return new Map(rows.map((r) => [r.messageId, { id: r.id, number: r.number, headers: r.headers }]));
}

function resolve(message: TLockedMessage, revision: TResolved | undefined, number: number | undefined): TResolved {
  if (number !== undefined && number !== 0 && !revision) throw new AppError('INVALID_INPUT', `Message ${message.id} has no revision #${number}`);
  const resolved = revision ?? { id: null, number: 0, headers: message.headers as TTypedTable };
  if (resolved.number === 0 && INGEST_ERROR_HEADER in resolved.headers) {
    throw new AppError('INVALID_INPUT', `Message ${message.id} arrived with headers that could not be stored; publishing it would send it without them. Edit it to set its headers first.`);
  }
  try {
    assertEncodableHeaders(resolved.headers);
  } catch (error) {
    if (error instanceof UnsendableHeaderError) throw new AppError('INVALID_INPUT', `Message ${message.id} cannot be sent as stored: ${error.message}`);
    throw error;
  }
  return resolved;
}

/** Contracts guard the origin: a replay there is checked on the bytes it would send. Only messages whose origin has a contract read their bodies. */
async function checkContracts(tx: Prisma.TransactionClient, planned: TPlanned[], input: TReplayRequest, fail: (id: bigint, error: unknown) => void) {
  // As replayMessage: any route that ends at the message's origin queue through the default
  // exchange is checked, whether the target was left out or names that queue.
  const toOrigin = planned.filter((p) => routesToOrigin(p.message.originQueue, input.target));
  const origins = [...new Set(toOrigin.map((p) => p.message.originQueue!))];
  if (origins.length === 0) return;
  const guarded = new Set((await tx.contract.findMany({ where: { originQueue: { in: origins } }, select: { originQueue: true } })).map((c) => c.originQueue));
  for (const p of toOrigin) {
    if (!guarded.has(p.message.originQueue!)) continue;
    const body = p.revision?.id != null
      ? (await tx.messageRevision.findUniqueOrThrow({ where: { id: p.revision.id }, select: { body: true } })).body
      : (await tx.message.findUniqueOrThrow({ where: { id: p.message.id }, select: { body: true } })).body;
    try {
      await assertContract({ originQueue: p.message.originQueue, body });
    } catch (error) {
      fail(p.message.id, error);
    }
  }
}

export function routesToOrigin(originQueue: string | null, target: TReplayRequest['target']): boolean {
  if (originQueue === null) return false;
  if (!target) return true;
  return 'queue' in target ? target.queue === originQueue : target.exchange === '' && target.routingKey === originQueue;
}

async function discardAll(tx: Prisma.TransactionClient, run: TJobRun, acting: TPlanned[], input: { reason?: string | null }): Promise<TDone[]> {
  const ids = acting.map((p) => p.message.id);
  await tx.$executeRaw`
    UPDATE messages SET version = version + 1, status = 'discarded', status_before_discard = status WHERE id = ANY(${ids}::bigint[])`;
  return acting.map(({ message, key }) => ({
    messageId: message.id, key, actionId: null, result: {},
    audit: {
      actor: actorLabel(run.actor), action: 'message.discarded', subject: `message:${message.id}`, messageId: message.id, reason: input.reason ?? null,
      sourceQueue: message.sourceQueue, originQueue: message.originQueue,
      before: { status: message.status, version: message.version },
      after: { status: 'discarded', version: message.version + 1, ...approvalNote({ approval: run.approval, job: { id: run.jobId } }) },
    },
  }));
}

async function publishAll(tx: Prisma.TransactionClient, run: TJobRun, acting: TPlanned[], input: TReplayRequest | TRedirectRequest, teams: TTeam[]): Promise<TDone[]> {
  const ids = acting.map((p) => p.message.id);
  const counts = new Map((await tx.$queryRaw<{ id: bigint; n: number }[]>`
    SELECT message_id AS id, count(*)::int AS n FROM dispatches WHERE message_id = ANY(${ids}::bigint[]) AND kind <> 'sandbox' GROUP BY message_id`).map((r) => [r.id, r.n]));
  const actor = actorLabel(run.actor);
  const reason = input.reason ?? null;
  const replay = run.kind === 'replay';
  const status = replay ? 'replaying' : 'redirecting';
  const rows: Record<string, string | number | null>[] = [];
  const done = acting.map(({ message, key, revision }): TDone => {
    const target = replay ? (input as TReplayRequest).target : undefined;
    const intents: TDispatchIntent[] = replay
      ? [{ kind: 'replay', exchange: target && 'exchange' in target ? target.exchange : '', routingKey: !target ? message.originQueue! : 'queue' in target ? target.queue : target.routingKey }]
      : teams.map((t) => ({ kind: 'redirect', exchange: t.exchange ?? '', routingKey: t.exchange !== null ? (t.routingKey ?? '') : (t.queue ?? ''), teamId: t.id, teamName: t.name }));
    const actionId = randomUUID();
    const dispatches = intents.map((intent) => ({
      id: randomUUID(), actionId, messageId: message.id, revisionId: revision!.id, replayCount: message.replayCount + (counts.get(message.id) ?? 0) + 1, actor, reason, ...intent,
    }));
    rows.push(...dispatches.map((d) => ({
      id: d.id, action_id: actionId, message_id: String(message.id), kind: d.kind, revision_id: d.revisionId === null ? null : String(d.revisionId),
      exchange: d.exchange, routing_key: d.routingKey, team_id: d.teamId ?? null, team_name: d.teamName ?? null, replay_count: d.replayCount, actor, reason,
    })));
    const redirect = input as TRedirectRequest;
    return {
      messageId: message.id,
      key,
      actionId,
      result: { actionId, dispatches: dispatches.map((d) => ({ id: d.id, target: describeTarget(d) })) },
      audit: {
        actor,
        action: replay ? 'message.replay_requested' : 'message.redirect_requested',
        subject: `message:${message.id}`,
        messageId: message.id,
        // As the chain trigger would copy them, but read here from the locked row, not looked up under the chain's lock.
        sourceQueue: message.sourceQueue,
        originQueue: message.originQueue,
        reason,
        target: !replay && redirect.allTeams ? `all teams (${teams.length}): ${teams.map((t) => t.name).join(', ')}` : describeTarget(intents[0]!),
        before: { status: message.status, version: message.version },
        after: {
          status, version: message.version + 1, revision: revision!.number, actionId, dispatchIds: dispatches.map((d) => d.id),
          ...approvalNote({ approval: run.approval, job: { id: run.jobId } }),
        },
      },
    };
  });
  // One jsonb parameter rather than createMany, which took many times as long (see recordAuditEvents).
  await tx.$executeRaw`
    INSERT INTO dispatches (id, action_id, message_id, kind, revision_id, exchange, routing_key, team_id, team_name, replay_count, actor, reason)
    SELECT id, action_id, message_id, kind, revision_id, exchange, routing_key, team_id, team_name, replay_count, actor, reason
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      id uuid, action_id uuid, message_id bigint, kind text, revision_id bigint, exchange text, routing_key text, team_id uuid, team_name text,
      replay_count int, actor text, reason text)`;
  await tx.$executeRaw`UPDATE messages SET version = version + 1, status = ${status}::message_status WHERE id = ANY(${ids}::bigint[])`;
  return done;
}
