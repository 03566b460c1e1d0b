import { z } from 'zod';
import type { Runbook } from '../db/generated/client';
import { hasControlCharacters } from '../validation/text';

// A runbook link for an origin queue or a failure group. Only http(s) links: the console
// renders them as anchors, and a javascript: or data: URL there would run in its origin.

export const RUNBOOK_KINDS = ['origin', 'group'] as const;
export type TRunbookKind = (typeof RUNBOOK_KINDS)[number];
export const MAX_RUNBOOK_URL = 2000;

export type TRunbook = { kind: TRunbookKind; key: string; url: string; updatedBy: string; updatedAt: string };

function urlProblem(url: string): string | null {
  if (url.length > MAX_RUNBOOK_URL) return `url is at most ${MAX_RUNBOOK_URL} characters`;
  if (hasControlCharacters(url) || /\s/.test(url)) return 'url must not contain spaces or control characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url is not an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'url must start with http:// or https://';
  if (parsed.username || parsed.password) return 'url must not carry a user name or password';
  return null;
}

const ZKey = z.string({ error: 'key must be a string' }).trim().min(1, 'key is empty').max(255, 'key is at most 255 characters')
  .refine((k) => !hasControlCharacters(k), 'key contains control characters');

/** The target of PUT and DELETE /api/v1/runbooks: an origin queue's name, or a group's id. */
const target = {
  kind: z.enum(RUNBOOK_KINDS, { error: `kind must be one of ${RUNBOOK_KINDS.join(', ')}` }),
  key: ZKey,
};
const groupKey = <T extends { kind: TRunbookKind; key: string }>(t: T) => t.kind !== 'group' || /^[1-9][0-9]{0,17}$/.test(t.key);
const groupKeyIssue = { message: 'key of a group runbook must be a failure group id', path: ['key'] };

export const ZRunbookTarget = z.strictObject(target).refine(groupKey, groupKeyIssue);
export const ZRunbookInput = z
  .strictObject({
    ...target,
    url: z.string({ error: 'url must be a string' }).trim().min(1, 'url is empty').superRefine((u, ctx) => {
      const problem = urlProblem(u);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  })
  .refine(groupKey, groupKeyIssue);
export type TRunbookInput = z.input<typeof ZRunbookInput>;
export type TRunbookTarget = z.input<typeof ZRunbookTarget>;

export function toRunbookDto(row: Runbook): TRunbook {
  return { kind: row.kind as TRunbookKind, key: row.key, url: row.url, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() };
}

/** Is this a link the UI may render? Rows written around the API are checked again before they become anchors. */
export function isSafeRunbookUrl(url: string): boolean {
  return urlProblem(url) === null;
}
