import { MESSAGE_STATUSES, REASONS, type TMessageStatus, type TReason } from '@/lib/messages/message-dto';

// The list filters as they live in the URL: plain strings, empty meaning "any". The API
// validates them (ZMessageFilters); the UI only picks the keys it knows, so a stray
// parameter in a shared link never turns into a 400.

export const FILTER_KEYS = ['source', 'origin', 'reason', 'status', 'q', 'path', 'from', 'to', 'group', 'owner'] as const;
export type TFilterKey = (typeof FILTER_KEYS)[number];
export type TFilters = Record<TFilterKey, string>;

export const EMPTY_FILTERS: TFilters = { source: '', origin: '', reason: '', status: '', q: '', path: '', from: '', to: '', group: '', owner: '' };
export { MIN_SEARCH_LENGTH } from '@/lib/messages/parse-search';

export const REASON_OPTIONS: readonly TReason[] = REASONS;
export const STATUS_OPTIONS: readonly TMessageStatus[] = MESSAGE_STATUSES;

export function readFilters(params: URLSearchParams): TFilters {
  const filters = { ...EMPTY_FILTERS };
  for (const key of FILTER_KEYS) filters[key] = params.get(key) ?? '';
  return filters;
}

export function hasFilters(filters: TFilters): boolean {
  return FILTER_KEYS.some((key) => filters[key] !== '');
}

/** Query string with only the non-empty filters, plus any extra parameters (limit, cursor). */
export function filterQuery(filters: TFilters, extra: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

/** `datetime-local` value (local wall time) for an ISO instant, or '' when it is not one. */
export function isoToLocalInput(iso: string): string {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/**
 * ISO instant for a `datetime-local` value, read in the browser's time zone. The picker
 * has minute precision, so an upper bound covers its whole minute ("to 15:30" keeps 15:30:45).
 */
export function localInputToIso(value: string, { endOfMinute = false } = {}): string {
  const date = new Date(value);
  if (!value || Number.isNaN(date.getTime())) return '';
  return new Date(date.getTime() + (endOfMinute ? 59_999 : 0)).toISOString();
}
