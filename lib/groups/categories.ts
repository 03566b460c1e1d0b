import type { TDeathReason } from '../ingest/parse-death-headers';
import { wildcardMatch } from '../validation/wildcard-match';

// What kind of failure a group is, and what an operator should do about it. Admin rules
// (failure_category_rules, in position order: text with * wildcards, matched anywhere in the
// field, case-insensitively) are checked first, then the built-in rules below (reviewed
// regular expressions without nested or overlapping quantifiers); the first match wins, and
// no match is 'unknown'.

export const CATEGORIES = ['transient', 'persistent', 'unknown'] as const;
export type TCategory = (typeof CATEGORIES)[number];
export const RULE_CATEGORIES = ['transient', 'persistent'] as const;
export const RULE_FIELDS = ['reason', 'exception_type', 'exception_message', 'any'] as const;
export type TRuleField = (typeof RULE_FIELDS)[number];

export const SUGGESTED_ACTIONS: Record<TCategory, string> = {
  transient: 'Replay once the dependency is healthy; a canary first',
  persistent: 'Fix the message (edit) or the consumer, then replay; discarding is safe only if the data is obsolete',
  unknown: 'Open a sample message and read its headers and body; add a category rule once the cause is known',
};

/** A message with at least this many deaths for one (queue, reason) keeps failing: poison. */
export const POISON_DEATH_COUNT = 3;

/** The fields rules look at. `repeatedDeaths`: some message of the group died at least POISON_DEATH_COUNT times. */
export type TGroupFacts = {
  reason: TDeathReason;
  exceptionType: string | null;
  exceptionMessage: string | null;
  repeatedDeaths: boolean;
};

export type TCategoryRule = { id: string; field: TRuleField; pattern: string; category: 'transient' | 'persistent'; suggestedAction: string | null };

export type TBuiltInRule = {
  id: string;
  description: string;
  field: TRuleField;
  /** Shown to admins; `test` decides. */
  pattern: string;
  category: 'transient' | 'persistent';
  suggestedAction: string | null;
  test: (facts: TGroupFacts) => boolean;
};

function textRule(id: string, description: string, pattern: RegExp, category: 'transient' | 'persistent', suggestedAction: string | null = null): TBuiltInRule {
  return { id, description, field: 'any', pattern: pattern.source, category, suggestedAction, test: (f) => pattern.test(fieldText(f, 'any')) };
}

export const BUILT_IN_RULES: readonly TBuiltInRule[] = [
  {
    id: 'builtin:expired', description: 'Expired (TTL) before a consumer took it', field: 'reason', pattern: '^expired$', category: 'transient',
    suggestedAction: 'Replay once consumers keep up; check the queue or message TTL', test: (f) => f.reason === 'expired',
  },
  {
    id: 'builtin:maxlen', description: 'Dropped by a queue length limit', field: 'reason', pattern: '^maxlen$', category: 'transient',
    suggestedAction: 'Replay once consumers keep up; check the queue length limit', test: (f) => f.reason === 'maxlen',
  },
  {
    id: 'builtin:delivery-limit', description: 'Poison: redelivered until the quorum queue delivery limit', field: 'reason', pattern: '^delivery_limit$', category: 'persistent',
    suggestedAction: null, test: (f) => f.reason === 'delivery_limit',
  },
  textRule('builtin:timeout', 'Timeouts', /time[sd]?[ -]?out|timed out|deadline exceeded/i, 'transient'),
  textRule('builtin:connection', 'Connection refused, reset or lost', /connection (?:refused|reset|closed|lost|aborted)|ECONNREFUSED|ECONNRESET|EPIPE|broken pipe|socket hang up|host unreachable|no route to host|SocketException|ConnectException/i, 'transient'),
  textRule('builtin:unavailable', 'The dependency answered 5xx, unavailable or throttled', /\b(?:50[0-4]|429)\b|service unavailable|bad gateway|gateway time-?out|too many requests|temporarily unavailable|circuit (?:breaker )?(?:is )?open/i, 'transient'),
  textRule('builtin:deadlock', 'Deadlocks and lock or serialization conflicts', /deadlock|lock (?:wait )?timeout|could not serialize|serialization failure|optimistic ?lock|concurrency ?(?:exception|conflict)/i, 'transient'),
  textRule('builtin:validation', 'Validation errors', /validation|invalid|constraint violation|IllegalArgument|ArgumentException|required (?:field|property)/i, 'persistent'),
  textRule('builtin:parse', 'Deserialisation, parse, JSON or schema errors', /deserializ|deserialis|unmarshal|pars(?:e|ing) ?(?:error|exception|failed)|JsonException|JsonParse|JsonMapping|json|schema|malformed|unexpected token|FormatException|MessageConversionException/i, 'persistent'),
  textRule('builtin:null', 'Null references', /null ?(?:reference|pointer)|NullPointerException|NullReferenceException|undefined is not|cannot read propert(?:y|ies) of (?:null|undefined)/i, 'persistent'),
  {
    id: 'builtin:poison', description: `Poison: rejected again and again (${POISON_DEATH_COUNT}+ deaths)`, field: 'reason', pattern: `^rejected$ and ${POISON_DEATH_COUNT}+ deaths`, category: 'persistent',
    suggestedAction: null, test: (f) => f.reason === 'rejected' && f.repeatedDeaths,
  },
];

export function fieldText(facts: TGroupFacts, field: TRuleField): string {
  switch (field) {
    case 'reason':
      return facts.reason;
    case 'exception_type':
      return facts.exceptionType ?? '';
    case 'exception_message':
      return facts.exceptionMessage ?? '';
    case 'any':
      return [facts.reason, facts.exceptionType ?? '', facts.exceptionMessage ?? ''].join('\n');
  }
}

export type TCategorised = { category: TCategory; suggestedAction: string; categoryRuleId: string | null; matchedBy: string | null };

/** The category of a group: the first admin rule that matches, else the first built-in one. */
export function categoriseGroup(facts: TGroupFacts, rules: readonly TCategoryRule[]): TCategorised {
  for (const rule of rules) {
    if (wildcardMatch(fieldText(facts, rule.field), rule.pattern, { caseInsensitive: true, anywhere: true })) {
      return { category: rule.category, suggestedAction: rule.suggestedAction ?? SUGGESTED_ACTIONS[rule.category], categoryRuleId: rule.id, matchedBy: rule.id };
    }
  }
  const builtIn = BUILT_IN_RULES.find((r) => r.test(facts));
  if (builtIn) return { category: builtIn.category, suggestedAction: builtIn.suggestedAction ?? SUGGESTED_ACTIONS[builtIn.category], categoryRuleId: null, matchedBy: builtIn.id };
  return { category: 'unknown', suggestedAction: SUGGESTED_ACTIONS.unknown, categoryRuleId: null, matchedBy: null };
}
