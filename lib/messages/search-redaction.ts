import type { TActor } from '../actor';
import { AppError } from '../errors';
import { canActor } from '../permissions/require-permission';
import { parseJsonPath, type TPathSegment, type TSelector } from '../redaction/json-path';
import type { TRuleRow } from '../redaction/create-redactor';
import { loadRedactionRules } from '../redaction/load-redactor';
import type { TMessageFilters } from './message-dto';
import { formatPathSteps, parsePathFilter, type TPathStep } from './parse-json-path-filter';

// Search must not become an oracle for what redaction masks (docs/decisions/0011 and 0015).
// For an actor without messages:read-sensitive, when any rule exists: free text matches
// message id, correlation id and routing keys only, and a JSON path filter that reaches a
// masked field (or anything inside one) is refused.

export type TSearchRestriction = { identityOnly: boolean };

function selects(rule: TSelector, step: TPathStep): boolean {
  if (rule.kind === 'wildcard') return true;
  if (rule.kind === 'key') return step.kind === 'key' && step.key === rule.key;
  // A filter's [*] reaches every index, so it reaches the one the rule names.
  return step.kind === 'any' || (step.kind === 'index' && step.index === rule.index);
}

/** True when some location the filter reads is a masked value or lies inside one. */
export function reachesMaskedField(steps: readonly TPathStep[], rule: readonly TPathSegment[]): boolean {
  let live = new Set([0]);
  for (const step of steps) {
    if (live.has(rule.length)) return true; // masked at an ancestor of the filter's location
    const next = new Set<number>();
    for (const position of live) {
      const segment = rule[position];
      if (!segment) continue;
      if (segment.descend) next.add(position);
      if (selects(segment.selector, step)) next.add(position + 1);
    }
    if (next.size === 0) return false;
    live = next;
  }
  return live.has(rule.length);
}

/** Throws FORBIDDEN when the path filter reaches a field a rule masks. */
export function assertPathFilterAllowed(path: string, rules: readonly TRuleRow[]): void {
  const { steps } = parsePathFilter(path);
  const hit = rules.find((r) => r.kind === 'json_path' && reachesMaskedField(steps, parseJsonPath(r.pattern)));
  if (hit) {
    throw new AppError(
      'FORBIDDEN',
      `The JSON path filter ${formatPathSteps(steps)} reads a field that redaction rule ${hit.pattern} masks for you; filtering on it needs the messages:read-sensitive permission`,
    );
  }
}

/**
 * How far this actor's search may look. No actor given: as restricted as any reader, since
 * the caller did not say who will see the result.
 */
export async function resolveSearchRestriction(f: TMessageFilters, actor: TActor | undefined): Promise<TSearchRestriction> {
  if (actor && canActor(actor, 'messages:read-sensitive')) return { identityOnly: false };
  const rules = await loadRedactionRules();
  if (rules.length === 0) return { identityOnly: false };
  if (f.path) assertPathFilterAllowed(f.path, rules);
  return { identityOnly: true };
}
