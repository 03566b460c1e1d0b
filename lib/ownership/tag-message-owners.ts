import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { log } from '../log';
import { redirectMessage } from '../messages/redirect-message';
import { compileRules, findOwningRule } from './evaluate-rules';
import { loadRuleSubjects, projectionsOf } from './load-rule-subjects';

// The worker's ownership step (docs/decisions/0017): tags a batch of messages not checked
// yet with the team of the first matching rule, and for a source that asks for it
// redirects a new message to that team (or, unmatched, to every team).
//
// Every replica runs this. The batch is claimed with FOR UPDATE SKIP LOCKED; a message to
// redirect stays unchecked until its redirect has answered, so a crash in between leaves it
// to the next step, and the redirect's Idempotency-Key (ownership:<id>) makes that rerun, or
// another replica's concurrent one, get the first answer instead of publishing again.
//
// A redirect that fails for a reason that is not a refusal (AppError) fails for that message
// only: it is logged, stays unchecked, and is left out of the claim until its retry time
// (30 s, doubling to an hour at most), so it neither holds back the rest of the batch nor
// sits at the head of every next one. When to retry is kept where every replica sees it:
// a row in idempotent_requests under its own actor (RETRY_LEDGER), which the retention task
// expires with the other short-lived rows; the redirect's own answer is untouched by it.

const WORKER: TActor = { kind: 'system', name: 'worker' };
/** The actor of the retry rows in idempotent_requests: never an actor an Idempotency-Key is stored for. */
export const RETRY_LEDGER = 'ownership:redirect-retry';
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

type TClaimed = { id: bigint; version: number; status: string; autoRedirect: boolean | null; unmatchedToAllTeams: boolean | null };
type TRedirect = { id: bigint; version: number; team?: string; allTeams?: true; reason: string };

export async function tagMessageOwners({ batchSize = 100 }: { batchSize?: number } = {}): Promise<{ checked: number; redirected: number; failed: number; more: boolean }> {
  const redirects: TRedirect[] = [];
  const checked = await prisma().$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<TClaimed[]>`
      SELECT m.id, m.version, m.status::text AS status, s.auto_redirect AS "autoRedirect", s.unmatched_to_all_teams AS "unmatchedToAllTeams"
      FROM messages m LEFT JOIN sources s ON s.queue = m.source_queue
      WHERE m.owner_checked_at IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM idempotent_requests r
          WHERE r.actor = ${RETRY_LEDGER} AND r.key = 'ownership:' || m.id::text AND (r.response ->> 'retryAt')::timestamptz > now())
      ORDER BY m.id
      LIMIT ${batchSize}
      FOR UPDATE OF m SKIP LOCKED`;
    if (claimed.length === 0) return 0;
    const rules = compileRules(await tx.ownershipRule.findMany({ where: { enabled: true }, include: { team: { select: { name: true, queue: true, exchange: true } } } }));
    const subjects = await loadRuleSubjects(tx, claimed.map((m) => m.id), projectionsOf(rules.map((c) => c.rule)));
    const done: bigint[] = [];
    for (const m of claimed) {
      const rule = findOwningRule(rules, subjects.get(m.id)!);
      const redirect = m.status === 'new' && m.autoRedirect ? toRedirect(m, rule) : null;
      if (rule) await tx.message.update({ where: { id: m.id }, data: { ownerTeamId: rule.teamId, ownerRuleId: rule.id, ...(redirect ? {} : { ownerCheckedAt: new Date() }) } });
      else if (!redirect) done.push(m.id);
      if (redirect) redirects.push(redirect);
    }
    if (done.length > 0) await tx.message.updateMany({ where: { id: { in: done } }, data: { ownerTeamId: null, ownerRuleId: null, ownerCheckedAt: new Date() } });
    return claimed.length;
  });
  // One redirect failing for a reason of its own holds back neither the others nor the next steps.
  let failed = 0;
  for (const r of redirects) if (!(await autoRedirect(r))) failed++;
  return { checked, redirected: redirects.length - failed, failed, more: checked === batchSize };
}

function toRedirect(m: TClaimed, rule: { id: string; team: { name: string; queue: string | null; exchange: string | null } } | null): TRedirect | null {
  if (rule) {
    if (rule.team.queue === null && rule.team.exchange === null) return null;
    return { id: m.id, version: m.version, team: rule.team.name, reason: `ownership rule ${rule.id} assigns it to ${rule.team.name}` };
  }
  return m.unmatchedToAllTeams ? { id: m.id, version: m.version, allTeams: true, reason: 'no ownership rule matches it: sent to every team' } : null;
}

/** True when the redirect answered (done, or refused for good); false when it is to be retried later. */
async function autoRedirect(r: TRedirect): Promise<boolean> {
  try {
    await redirectMessage({
      actor: WORKER,
      id: r.id.toString(),
      version: r.version,
      idempotencyKey: `ownership:${r.id}`,
      fingerprintWithoutVersion: true,
      input: { version: r.version, ...(r.team !== undefined ? { team: r.team } : { allTeams: true as const }), reason: r.reason },
    });
  } catch (error) {
    // Refused for good (acted on meanwhile, no teams, a key reused): the owner stands, no redirect.
    if (error instanceof AppError) {
      log.warn('ownership: auto-redirect refused', { messageId: r.id.toString(), code: error.code, message: error.message });
    } else {
      // Anything else (a fault of this message's redirect, the database away): unchecked, retried later.
      await scheduleRetry(r.id, error);
      return false;
    }
  }
  await prisma().$transaction([
    prisma().message.update({ where: { id: r.id }, data: { ownerCheckedAt: new Date() } }),
    prisma().idempotentRequest.deleteMany({ where: { actor: RETRY_LEDGER, key: `ownership:${r.id}` } }),
  ]);
  return true;
}

async function scheduleRetry(id: bigint, error: unknown): Promise<void> {
  const key = `ownership:${id}`;
  const [row] = await prisma().$queryRaw<{ attempts: number; retryAt: Date }[]>`
    INSERT INTO idempotent_requests (actor, key, request_hash, status, response)
    VALUES (${RETRY_LEDGER}, ${key}, 'retry', 1, jsonb_build_object('retryAt', now() + make_interval(secs => ${FIRST_RETRY_MS / 1000}::int)))
    ON CONFLICT (actor, key) DO UPDATE SET
      status = idempotent_requests.status + 1,
      response = jsonb_build_object('retryAt', now() + make_interval(secs => least(${FIRST_RETRY_MS / 1000}::int * power(2, idempotent_requests.status), ${MAX_RETRY_MS / 1000}::int)))
    RETURNING status AS attempts, (response ->> 'retryAt')::timestamptz AS "retryAt"`;
  log.error('ownership: auto-redirect failed; retried later', {
    messageId: id.toString(), attempts: row?.attempts, retryAt: row?.retryAt.toISOString(), error: error instanceof Error ? error.message : String(error),
  });
}
