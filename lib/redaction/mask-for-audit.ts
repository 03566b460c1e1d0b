import { createHash } from 'node:crypto';
import { canonicalJson } from '../ingest/to-dead-letter-row';
import type { TTypedValue } from '../ingest/typed-headers';
import type { TRuleRow } from './create-redactor';

// Masking at write time: the audit log can only grow, so a secret written into it could
// never be taken out again. A header an edit changed is recorded with its values, except
// that a header a rule masks keeps only a fingerprint: an auditor still sees that it
// changed, and whether two events saw the same value, without the value itself.

export type TMaskedValue = { redacted: true; sha256: string };
export type TAuditHeaderValue = TTypedValue | TMaskedValue;
export type THeaderValueChange = { before?: TAuditHeaderValue; after?: TAuditHeaderValue };
export type THeaderChanges = { added: string[]; removed: string[]; changed: string[]; values: Record<string, THeaderValueChange> };

/**
 * A fingerprint salted with where the value was (message and header), so equal values in
 * different messages do not correlate and precomputed tables do not help. A low-entropy
 * value (a card number) can still be guessed by brute force from it; the clear value is in
 * the message store anyway, which has the same readers (docs/decisions/0011-redaction.md).
 */
export function fingerprint(salt: string, value: TTypedValue): TMaskedValue {
  return { redacted: true, sha256: createHash('sha256').update(`${salt}\u0000${canonicalJson(value)}`).digest('hex') };
}

/** The header changes of an edit, with the values of masked header names replaced by fingerprints. */
export function maskForAudit(changes: THeaderChanges, rules: readonly TRuleRow[], salt: string): THeaderChanges {
  const masked = new Set(rules.filter((r) => r.kind === 'header').map((r) => r.pattern.toLowerCase()));
  const values: Record<string, THeaderValueChange> = {};
  for (const [name, change] of Object.entries(changes.values)) {
    const mask = (v: TAuditHeaderValue | undefined) =>
      v === undefined || !masked.has(name.toLowerCase()) || 'redacted' in v ? v : fingerprint(`${salt}\u0000${name}`, v);
    const entry: THeaderValueChange = {};
    if (change.before !== undefined) entry.before = mask(change.before);
    if (change.after !== undefined) entry.after = mask(change.after);
    Object.defineProperty(values, name, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return { ...changes, values };
}
