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

const WORKER: TActor = { kind: 'system', name: 'worker' };

type TClaimed = { id: bigint; version: number; status: string; autoRedirect: boolean | null; unmatchedToAllTeams: boolean | null };
type TRedirect = { id: bigint; version: number; team?: string; allTeams?: true; reason: string };

export async function tagMessageOwners({ batchSize = 100 }: { batchSize?: number } = {}): Promise<{ checked: number; redirected: number; more: boolean }> {
  const redirects: TRedirect[] = [];
  const checked = await prisma().$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<TClaimed[]>`
      SELECT m.id, m.version, m.status::text AS status, s.auto_redirect AS "autoRedirect", s.unmatched_to_all_teams AS "unmatchedToAllTeams"
      FROM messages m LEFT JOIN sources s ON s.queue = m.source_queue
      WHERE m.owner_checked_at IS NULL
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
  // One redirect failing for a reason of its own must not hold back the others; the step still reports it.
  let failure: unknown = null;
  for (const r of redirects) await autoRedirect(r).catch((error: unknown) => { failure ??= error; });
  if (failure) throw failure;
  return { checked, redirected: redirects.length, more: checked === batchSize };
}

function toRedirect(m: TClaimed, rule: { id: string; team: { name: string; queue: string | null; exchange: string | null } } | null): TRedirect | null {
  if (rule) {
    if (rule.team.queue === null && rule.team.exchange === null) return null;
    return { id: m.id, version: m.version, team: rule.team.name, reason: `ownership rule ${rule.id} assigns it to ${rule.team.name}` };
  }
  return m.unmatchedToAllTeams ? { id: m.id, version: m.version, allTeams: true, reason: 'no ownership rule matches it: sent to every team' } : null;
}

async function autoRedirect(r: TRedirect): Promise<void> {
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
    // Anything else (the database away) leaves it unchecked for the next step.
    if (!(error instanceof AppError)) throw error;
    log.warn('ownership: auto-redirect refused', { messageId: r.id.toString(), code: error.code, message: error.message });
  }
  await prisma().message.update({ where: { id: r.id }, data: { ownerCheckedAt: new Date() } });
}
