import { z } from 'zod';

// Query-string fields shared by the list filters and the audit filters.

/** An empty parameter (`?from=`) means "not given". */
export const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

// Already-parsed filters (a Date) pass again, so a domain function can re-check what the route parsed.
const dateOrText = (v: unknown) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : emptyToUndefined(v));
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const ZIsoDate = z.preprocess(
  dateOrText,
  z
    .string()
    .refine((s) => ISO_8601.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or date-time, e.g. 2026-11-25T03:00:00Z')
    .transform((s) => new Date(s))
    .refine((d) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, 'must be between the years 1 and 9999')
    .optional(),
);

export const fromBeforeTo: [(f: { from?: Date; to?: Date }) => boolean, { message: string; path: string[] }] = [
  (f) => !f.from || !f.to || f.from <= f.to,
  { message: 'must not be after to', path: ['from'] },
];

/** `limit` and `cursor` of a keyset-paged list: 1 to 200 items (50), and an opaque cursor from the previous page. */
export const pageFields = {
  limit: z.preprocess(emptyToUndefined, z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50)),
  cursor: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'is not a cursor returned by this API').optional()),
};
