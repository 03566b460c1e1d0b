import { z } from 'zod';
import type { FailureCategoryRule } from '../db/generated/client';
import { hasControlCharacters } from '../validation/text';
import { BUILT_IN_RULES, RULE_CATEGORIES, RULE_FIELDS, type TCategoryRule, type TRuleField } from './categories';

// An admin's category rule: a case-insensitive regular expression on one field of a group.
// Patterns run in the worker and the web app on text anyone can send, so they are kept
// short and simple: a pattern that could backtrack for ever is refused, not timed out.

export const MAX_PATTERN_LENGTH = 200;
export const MAX_SUGGESTED_ACTION_LENGTH = 500;

/** A quantified group that itself holds a quantifier, e.g. (a+)+ or (\w*)*: the shape of catastrophic backtracking. */
function hasNestedQuantifier(pattern: string): boolean {
  const stack: boolean[] = []; // per open group: does it hold a quantifier?
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') {
      // A character class: skip to its end; nothing inside is a quantifier or a group.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') { stack.push(false); continue; }
    const isQuantifier = c === '*' || c === '+' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (c === ')') {
      const inner = stack.pop() ?? false;
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || (next === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i + 1)));
      if (inner && quantified) return true;
      if (inner && stack.length) stack[stack.length - 1] = true;
      continue;
    }
    if (isQuantifier && stack.length) stack[stack.length - 1] = true;
  }
  return false;
}

/** Why a pattern is refused, or null. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'pattern is empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern is at most ${MAX_PATTERN_LENGTH} characters`;
  if (hasControlCharacters(pattern)) return 'pattern contains control characters';
  try {
    new RegExp(pattern, 'i');
  } catch (error) {
    return `pattern is not a valid regular expression: ${(error as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'pattern must not use back-references';
  if (hasNestedQuantifier(pattern)) return 'pattern has a quantified group holding another quantifier, e.g. (a+)+: it could take for ever on some text';
  return null;
}

/** The body of POST /api/v1/failure-category-rules. Without `position`, the rule is added last. */
export const ZCategoryRuleInput = z.strictObject({
  field: z.enum(RULE_FIELDS, { error: `field must be one of ${RULE_FIELDS.join(', ')}` }),
  pattern: z.string({ error: 'pattern must be a string' }).superRefine((p, ctx) => {
    const problem = patternProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  category: z.enum(RULE_CATEGORIES, { error: `category must be one of ${RULE_CATEGORIES.join(', ')}` }),
  suggestedAction: z
    .string({ error: 'suggestedAction must be a string' })
    .trim()
    .max(MAX_SUGGESTED_ACTION_LENGTH, `suggestedAction is at most ${MAX_SUGGESTED_ACTION_LENGTH} characters`)
    .refine((s) => !hasControlCharacters(s), 'suggestedAction contains control characters')
    .transform((s) => s || null)
    .nullish(),
  position: z.number({ error: 'position must be a number' }).int('position must be a whole number').min(1, 'position starts at 1').max(10_000).optional(),
});
export type TCategoryRuleInput = z.input<typeof ZCategoryRuleInput>;

export type TCategoryRuleDto = TCategoryRule & { position: number; createdBy: string; createdAt: string };
export type TBuiltInRuleDto = { id: string; description: string; field: TRuleField; pattern: string; category: 'transient' | 'persistent'; suggestedAction: string | null };

export function toCategoryRuleDto(row: FailureCategoryRule): TCategoryRuleDto {
  return {
    id: row.id, position: row.position, field: row.field as TRuleField, pattern: row.pattern,
    category: row.category as TCategoryRule['category'], suggestedAction: row.suggestedAction,
    createdBy: row.createdBy, createdAt: row.createdAt.toISOString(),
  };
}

export function builtInRuleDtos(): TBuiltInRuleDto[] {
  return BUILT_IN_RULES.map(({ id, description, field, pattern, category, suggestedAction }) => ({ id, description, field, pattern, category, suggestedAction }));
}

/** The rule as the audit trail keeps it. */
export function toCategoryRuleAudit(rule: TCategoryRuleDto) {
  return { id: rule.id, position: rule.position, field: rule.field, pattern: rule.pattern, category: rule.category, suggestedAction: rule.suggestedAction };
}
