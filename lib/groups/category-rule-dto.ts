import { z } from 'zod';
import type { FailureCategoryRule } from '../db/generated/client';
import { hasControlCharacters } from '../validation/text';
import { BUILT_IN_RULES, RULE_CATEGORIES, RULE_FIELDS, type TCategoryRule, type TRuleField } from './categories';

// An admin's category rule: text with `*` wildcards, matched case-insensitively anywhere in
// one field of a group. Rules run in the worker and the web app on text anyone can send, so
// they are never regular expressions: wildcardMatch costs at most (field x pattern) steps.

export const MAX_PATTERN_LENGTH = 200;
export const MAX_PATTERN_STARS = 10;
export const MAX_SUGGESTED_ACTION_LENGTH = 500;

/** Why a pattern is refused, or null. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'pattern is empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern is at most ${MAX_PATTERN_LENGTH} characters`;
  if (hasControlCharacters(pattern)) return 'pattern contains control characters';
  if (pattern.trim() !== pattern) return 'pattern must not start or end with spaces';
  if (/^\**$/.test(pattern)) return 'pattern needs some text besides *';
  if ((pattern.match(/\*/g)?.length ?? 0) > MAX_PATTERN_STARS) return `pattern has at most ${MAX_PATTERN_STARS} * wildcards`;
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
