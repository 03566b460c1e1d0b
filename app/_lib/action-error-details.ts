// The structured part of an action's refusal (docs/decisions/0007): what changed since a
// stale version (409), the contract violations of a body (400). Read defensively: it is
// whatever the server sent.

export type TChange = { at: string | null; actor: string; action: string; reason: string | null; result: string | null };
export type TViolation = { path: string; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : null);

export function readChanges(details: unknown): { changes: TChange[]; current: { version: number | null; status: string | null } | null } {
  if (!isRecord(details)) return { changes: [], current: null };
  const changes = Array.isArray(details.changes)
    ? details.changes.filter(isRecord).map((c) => ({ at: text(c.at), actor: text(c.actor) ?? 'someone', action: text(c.action) ?? 'a change', reason: text(c.reason), result: text(c.result) }))
    : [];
  const current = isRecord(details.current)
    ? { version: typeof details.current.version === 'number' ? details.current.version : null, status: text(details.current.status) }
    : null;
  return { changes, current };
}

/** `path` may be a JSON pointer, a dotted path or an array of segments; an empty path is the whole body. */
export function readViolations(details: unknown): TViolation[] {
  if (!isRecord(details) || !Array.isArray(details.violations)) return [];
  return details.violations.map((v) => {
    if (typeof v === 'string') return { path: '(body)', message: v };
    if (!isRecord(v)) return { path: '(body)', message: JSON.stringify(v) };
    const raw = Array.isArray(v.path) ? v.path.join('.') : text(v.path) ?? text(v.instancePath) ?? '';
    return { path: raw === '' || raw === '/' ? '(body)' : raw, message: text(v.message) ?? JSON.stringify(v) };
  });
}
