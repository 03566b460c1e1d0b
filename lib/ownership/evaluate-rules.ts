import type { TTypedValue } from '../ingest/typed-headers';
import type { TMatchKind } from './ownership-rule-dto';
import { globMatches, headerText, matchesTopic, scalarText } from './match-patterns';

// First matching enabled rule in position order wins. Rules are compiled once per batch.

/** What a rule looks at in a stored message (lib/ownership/load-rule-subjects.ts reads it). */
export type TRuleSubject = {
  originQueue: string | null;
  /** The keys it was published with (x-death), or else the key it was dead-lettered with. */
  routingKeys: readonly string[];
  deliveryRoutingKey: string;
  /** The typed values of the headers the rules name; absent: undefined. */
  headerValues: ReadonlyMap<string, unknown>;
  /** The values at the JSON paths the rules name, boxed so that JSON null differs from absent. */
  jsonValues: ReadonlyMap<string, { value: unknown } | undefined>;
};

export type TRuleLike = { id: string; teamId: string; matchKind: string; matchKey: string | null; pattern: string; enabled?: boolean };
export type TCompiledRule<R extends TRuleLike = TRuleLike> = { rule: R; matches: (m: TRuleSubject) => boolean };

export function compileRule<R extends TRuleLike>(rule: R): TCompiledRule<R> {
  const kind = rule.matchKind as TMatchKind;
  switch (kind) {
    case 'origin_queue':
      return { rule, matches: (m) => m.originQueue !== null && globMatches(rule.pattern, m.originQueue) };
    case 'routing_key':
      return { rule, matches: (m) => keysOf(m).some((k) => matchesTopic(rule.pattern, k)) };
    case 'header': {
      const name = rule.matchKey ?? '';
      return {
        rule,
        matches: (m) => {
          const value = headerText(m.headerValues.get(name) as TTypedValue | undefined);
          return value !== null && globMatches(rule.pattern, value);
        },
      };
    }
    case 'json_path': {
      const path = rule.matchKey ?? '';
      return {
        rule,
        matches: (m) => {
          const found = m.jsonValues.get(path);
          return found !== undefined && scalarText(found.value) === rule.pattern;
        },
      };
    }
    default:
      // A kind the database allows but this code does not know never matches.
      return { rule, matches: () => false };
  }
}

function keysOf(m: TRuleSubject): readonly string[] {
  return m.routingKeys.length > 0 ? m.routingKeys : [m.deliveryRoutingKey];
}

/** Compiles the enabled rules in position order. */
export function compileRules<R extends TRuleLike & { position: number }>(rules: readonly R[]): TCompiledRule<R>[] {
  return [...rules].filter((r) => r.enabled !== false).sort((a, b) => a.position - b.position).map(compileRule);
}

/** The first rule that matches, or null. */
export function findOwningRule<R extends TRuleLike>(compiled: readonly TCompiledRule<R>[], message: TRuleSubject): R | null {
  return compiled.find((c) => c.matches(message))?.rule ?? null;
}
