import type { TActor } from '../actor';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import type { TPathStep } from '../messages/parse-json-path-filter';
import { reachesMaskedField } from '../messages/search-redaction';
import { canActor } from '../permissions/require-permission';
import { parseJsonPath as parseRedactionPath } from '../redaction/json-path';
import { loadRedactionRules } from '../redaction/load-redactor';
import { parseJsonPath } from './match-patterns';

// A rule on a value is an oracle for it: previewing `4*`, `41*`… on a masked header, or
// saving such a rule and filtering by its team, spells the value out through matched counts.
// So, as search does (lib/messages/search-redaction.ts), an actor without
// messages:read-sensitive may not write or preview a rule on a header a redaction rule masks,
// nor on a JSON path that reaches a masked field or lies inside one.

type TRuleMatch = { matchKind: string; matchKey: string | null };

export async function assertRuleReadsNoMaskedValue(
  { actor, rule, db = prisma() }: { actor: TActor; rule: TRuleMatch; db?: Pick<Prisma.TransactionClient, 'redactionRule'> },
): Promise<void> {
  if (canActor(actor, 'messages:read-sensitive') || !rule.matchKey) return;
  if (rule.matchKind !== 'header' && rule.matchKind !== 'json_path') return;
  const masks = await loadRedactionRules(db);
  if (rule.matchKind === 'header') {
    const name = rule.matchKey.toLowerCase();
    const hit = masks.find((m) => m.kind === 'header' && m.pattern.toLowerCase() === name);
    if (hit) {
      throw new AppError(
        'FORBIDDEN',
        `The ownership rule on header ${rule.matchKey} reads a header that redaction rule ${hit.pattern} masks for you; a rule on it needs the messages:read-sensitive permission`,
      );
    }
    return;
  }
  const steps: TPathStep[] = parseJsonPath(rule.matchKey).map((s) => (typeof s === 'number' ? { kind: 'index', index: s } : { kind: 'key', key: s }));
  const hit = masks.find((m) => m.kind === 'json_path' && reachesMaskedField(steps, parseRedactionPath(m.pattern)));
  if (hit) {
    throw new AppError(
      'FORBIDDEN',
      `The ownership rule on JSON path ${rule.matchKey} reads a field that redaction rule ${hit.pattern} masks for you; a rule on it needs the messages:read-sensitive permission`,
    );
  }
}
