import { gunzipSync, gzipSync } from 'node:zlib';
import type { TTypedTable } from '../ingest/typed-headers';
import { parseJsonPath } from './json-path';
import { PathMatcher } from './path-matcher';
import { REDACTED, redactJsonText } from './redact-json-text';
import type { TRedactionKind } from './redaction-rule-dto';

// Masking at read time, for an actor without messages:read-sensitive. Pure: loadRedactor()
// reads the rules; this applies them. The stored bytes never change (invariant 5).

export type TRuleRow = { kind: TRedactionKind | string; pattern: string };
export type TBodyRedaction = { bytes: Buffer; redacted: boolean; paths: string[] };
export type TAuditSides = { before: unknown; after: unknown };

export type TRedactor = {
  /** JSON bodies only (after gunzip for a gzip content encoding); anything else comes back as it is. */
  redactBody(bytes: Uint8Array, contentType: string | null, contentEncoding: string | null): TBodyRedaction;
  /** The stored typed header table with the values of masked names replaced by the string "[redacted]". */
  redactHeaders(headers: TTypedTable): { headers: TTypedTable; redacted: string[] };
  /** An audit event's before/after with masked header values and body fields replaced. */
  redactAuditEvent<T extends TAuditSides>(event: T): T & { redacted: boolean };
  isMaskedHeader(name: string): boolean;
};

/** Gzip bodies are inflated up to this many bytes to be masked; a bigger one is served as it is. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const isGzip = (encoding: string | null) => ['gzip', 'x-gzip'].includes((encoding ?? '').trim().toLowerCase());
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createRedactor(rules: readonly TRuleRow[]): TRedactor {
  const matcher = new PathMatcher(rules.filter((r) => r.kind === 'json_path').map((r) => parseJsonPath(r.pattern)));
  const headerNames = new Set(rules.filter((r) => r.kind === 'header').map((r) => r.pattern.toLowerCase()));
  const isMaskedHeader = (name: string) => headerNames.has(name.toLowerCase());

  function redactText(text: string) {
    // Only objects and arrays have paths inside; a bare string or number has nothing to mask.
    const first = /\S/.exec(text)?.[0];
    if (first !== '{' && first !== '[') return null;
    const result = redactJsonText(text, matcher);
    return result && result.count > 0 ? result : null;
  }

  function redactBody(bytes: Uint8Array, _contentType: string | null, contentEncoding: string | null): TBodyRedaction {
    const unchanged = { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), redacted: false, paths: [] };
    if (matcher.isEmpty) return unchanged;
    const gzip = isGzip(contentEncoding);
    if (contentEncoding && contentEncoding.trim().toLowerCase() !== 'identity' && !gzip) return unchanged;
    let text: string;
    try {
      text = utf8.decode(gzip ? gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }) : bytes);
    } catch {
      return unchanged; // not text, not gzip, or a gzip bomb
    }
    // The content type is not trusted either way: producers often send JSON without one.
    const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
    const result = redactText(text.slice(bom.length));
    if (!result) return unchanged;
    const out = Buffer.from(bom + result.text, 'utf8');
    return { bytes: gzip ? gzipSync(out) : out, redacted: true, paths: result.paths };
  }

  function redactHeaders(headers: TTypedTable) {
    const redacted = Object.keys(headers).filter(isMaskedHeader);
    if (redacted.length === 0) return { headers, redacted };
    const out: TTypedTable = {};
    for (const [key, value] of Object.entries(headers)) {
      Object.defineProperty(out, key, {
        value: isMaskedHeader(key) ? { type: 'string', value: REDACTED } : value, enumerable: true, writable: true, configurable: true,
      });
    }
    return { headers: out, redacted };
  }

  /** One side of an audit event: `headers.values` of an edit, and a `body` field if one is ever recorded. */
  function redactSide(side: unknown): { side: unknown; redacted: boolean } {
    if (!isObject(side)) return { side, redacted: false };
    let redacted = false;
    const out = { ...side };
    const values = isObject(side.headers) && isObject(side.headers.values) ? side.headers.values : null;
    if (values && Object.keys(values).some(isMaskedHeader)) {
      const masked = Object.fromEntries(Object.entries(values).map(([name, change]) => [
        name,
        isMaskedHeader(name) && isObject(change) ? Object.fromEntries(Object.keys(change).map((k) => [k, REDACTED])) : change,
      ]));
      out.headers = { ...(side.headers as object), values: masked };
      redacted = true;
    }
    if (typeof side.body === 'object' && side.body !== null) {
      const result = matcher.isEmpty ? null : redactText(JSON.stringify(side.body));
      if (result) {
        out.body = JSON.parse(result.text);
        redacted = true;
      }
    }
    return { side: redacted ? out : side, redacted };
  }

  function redactAuditEvent<T extends TAuditSides>(event: T): T & { redacted: boolean } {
    const before = redactSide(event.before);
    const after = redactSide(event.after);
    return { ...event, before: before.side, after: after.side, redacted: before.redacted || after.redacted };
  }

  return { redactBody, redactHeaders, redactAuditEvent, isMaskedHeader };
}
