import type { TAuditEventDto } from './audit-event-dto';

// CSV as RFC 4180 has it (CRLF line ends; a field with a comma, a quote, CR or LF is
// quoted and its quotes doubled), with one change for spreadsheets: a field that starts
// with = + - @ TAB or CR gets a leading apostrophe, so Excel, LibreOffice and Sheets show
// it as text instead of running it as a formula (CSV injection; OWASP's advice). Nothing
// the console writes starts so (ids, ISO times, JSON, hex), so only values that people or
// messages supplied (reasons, actors, queues, results) can change.

export const AUDIT_CSV_COLUMNS = [
  'id', 'at', 'actor', 'action', 'outcome', 'subject', 'message_id', 'source_queue', 'origin_queue',
  'target', 'result', 'reason', 'request_id', 'before', 'after', 'hash', 'prev_hash',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string | null): string {
  if (value === null) return '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export function toCsvRow(e: TAuditEventDto): string {
  const values: Record<(typeof AUDIT_CSV_COLUMNS)[number], string | null> = {
    id: e.id, at: e.at, actor: e.actor, action: e.action, outcome: e.outcome, subject: e.subject, message_id: e.messageId,
    source_queue: e.sourceQueue, origin_queue: e.originQueue, target: e.target, result: e.result, reason: e.reason,
    request_id: e.requestId, before: json(e.before), after: json(e.after), hash: e.hash, prev_hash: e.prevHash,
  };
  return AUDIT_CSV_COLUMNS.map((c) => csvField(values[c])).join(',') + '\r\n';
}

/**
 * The file's first line. CSV has no comments; a line starting with # is the convention
 * most tools accept (pandas comment='#', csvkit, spreadsheets show it as one cell). It
 * holds no comma or quote, so a strict reader sees one field.
 */
export function csvPreamble({ exportedAt, query }: { exportedAt: Date; query: string }): string {
  const filters = query ? `filters ${query}` : 'no filters';
  const line = `# dlq-console audit events exported ${exportedAt.toISOString()}; ${filters}; newest first.`
    + ' Fields starting with = + - @ TAB or CR are prefixed with an apostrophe (\') so spreadsheets do not run them as formulas.';
  return csvField(line.replaceAll(',', ' ')) + '\r\n' + AUDIT_CSV_COLUMNS.join(',') + '\r\n';
}
