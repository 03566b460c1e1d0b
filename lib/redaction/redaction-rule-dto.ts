import { z } from 'zod';
import type { RedactionRule } from '../db/generated/client';
import { hasControlCharacters } from '../validation/text';
import { JsonPathError, parseJsonPath } from './json-path';

// A redaction rule names what to mask for actors without messages:read-sensitive: a JSON
// path inside bodies, or a header name. Header names are stored lower-case, so the unique
// (kind, pattern) index also refuses "Authorization" next to "authorization".

export const REDACTION_KINDS = ['json_path', 'header'] as const;
export type TRedactionKind = (typeof REDACTION_KINDS)[number];

export const MAX_HEADER_PATTERN_LENGTH = 255;

/** Why a header pattern is refused, or null. */
export function headerPatternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'a header name is empty';
  if (pattern.length > MAX_HEADER_PATTERN_LENGTH) return `a header name is at most ${MAX_HEADER_PATTERN_LENGTH} characters`;
  if (hasControlCharacters(pattern)) return 'a header name contains control characters';
  return null;
}

/** Why a JSON path is refused, or null. */
export function jsonPathProblem(pattern: string): string | null {
  try {
    parseJsonPath(pattern);
    return null;
  } catch (error) {
    if (error instanceof JsonPathError) return `invalid JSON path ${JSON.stringify(pattern)}: ${error.message}`;
    throw error;
  }
}

/** The body of POST /api/v1/redaction-rules. */
export const ZRedactionRuleInput = z
  .strictObject({
    kind: z.enum(REDACTION_KINDS, { error: `kind must be one of ${REDACTION_KINDS.join(', ')}` }),
    pattern: z.string({ error: 'pattern must be a string' }).trim().min(1, 'pattern is empty'),
  })
  .transform((rule, ctx) => {
    const problem = rule.kind === 'header' ? headerPatternProblem(rule.pattern) : jsonPathProblem(rule.pattern);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem, path: ['pattern'] });
      return z.NEVER;
    }
    return { kind: rule.kind, pattern: rule.kind === 'header' ? rule.pattern.toLowerCase() : rule.pattern };
  });
export type TRedactionRuleInput = z.input<typeof ZRedactionRuleInput>;

export type TRedactionRule = { id: string; kind: TRedactionKind; pattern: string; createdBy: string; createdAt: string };

export function toRedactionRuleDto(row: RedactionRule): TRedactionRule {
  return { id: row.id, kind: row.kind as TRedactionKind, pattern: row.pattern, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
}

/** The rule as the audit trail keeps it. */
export function toRedactionRuleAudit(rule: TRedactionRule) {
  return { id: rule.id, kind: rule.kind, pattern: rule.pattern };
}

/** What a body, header table or audit event had masked, for the "Redacted" badge. */
export type TRedactionNote = {
  /** Masked body locations (at most 100 listed), e.g. `$.card.number`. */
  paths: string[];
  /** Masked header names, as stored. */
  headers: string[];
};
