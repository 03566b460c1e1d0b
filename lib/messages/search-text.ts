import { isJsonContentType } from './is-json-content-type';
import { stripNul, type TTypedTable } from '../ingest/typed-headers';

// What ingest adds for search (docs/decisions/0015-search.md), computed in Node from what
// the row already holds, so the batch stays one INSERT: the text the full-text and trigram
// indexes cover, and whether PostgreSQL should keep the body's parsed JSON form.

/** Body text that joins the searchable text, in bytes. */
export const MAX_BODY_TEXT_BYTES = 64 * 1024;
/** All of the searchable text, in characters. */
export const MAX_SEARCH_TEXT_CHARS = 200_000;
/** Bodies up to this size get a parsed JSON form (body_json) when they are JSON. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function isPlainEncoding(contentEncoding: string | null): boolean {
  return contentEncoding === null || contentEncoding.trim() === '' || contentEncoding.trim().toLowerCase() === 'identity';
}

/** The first bytes of a body as text, cut at a character boundary; null when they are not UTF-8. */
export function bodyText(body: Buffer, contentEncoding: string | null): string | null {
  if (!isPlainEncoding(contentEncoding) || body.length === 0) return null;
  let end = Math.min(body.length, MAX_BODY_TEXT_BYTES);
  // Step back over continuation bytes (10xxxxxx) so a character is never cut in half.
  if (end < body.length) while (end > 0 && (body[end]! & 0xc0) === 0x80) end--;
  try {
    return stripNul(utf8.decode(body.subarray(0, end)));
  } catch {
    return null;
  }
}

/** "name value" for each top-level string or number header; x-death has its own columns. */
export function headerText(headers: TTypedTable): string[] {
  const out: string[] = [];
  for (const [name, v] of Object.entries(headers)) {
    if (name === 'x-death') continue;
    if (v.type === 'string') out.push(`${name} ${stripNul('value' in v ? v.value : Buffer.from(v.base64, 'base64').toString('utf8'))}`);
    else if (v.type === 'number') out.push(`${name} ${v.value}`);
  }
  return out;
}

export function searchText(parts: { ids: (string | null)[]; headers: TTypedTable; body: Buffer; contentEncoding: string | null }): string {
  const text = [...parts.ids, ...headerText(parts.headers), bodyText(parts.body, parts.contentEncoding)].filter(Boolean).join(' ');
  return cutAtCharacter(text, MAX_SEARCH_TEXT_CHARS);
}

/**
 * At most `max` UTF-16 units of the text, never half a surrogate pair: PostgreSQL refuses a
 * lone surrogate (22P02), and ingest would then store the row without its headers.
 */
export function cutAtCharacter(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * Whether the body may be JSON worth a parsed form: not compressed, at most 1 MiB, and a
 * JSON content type or an object/array at the start. PostgreSQL parses it in the INSERT
 * (dlq_try_jsonb) and stores NULL when it is not JSON after all; parsing there keeps the
 * work off ingest's busy Node thread and never sends the body twice.
 */
export function isJsonCandidate(body: Buffer, contentType: string | null, contentEncoding: string | null): boolean {
  if (!isPlainEncoding(contentEncoding) || body.length === 0 || body.length > MAX_JSON_BODY_BYTES) return false;
  if (isJsonContentType(contentType)) return true;
  for (const byte of body) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x7b || byte === 0x5b; // { or [
  }
  return false;
}
