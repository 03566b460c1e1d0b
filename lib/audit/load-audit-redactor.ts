import type { TActor } from '../actor';
import { showAuditValues, type TAuditRedactor } from './audit-event-dto';

// Loaded once per request or export, before the first row is mapped, so the redaction
// rules are read once and every event of one answer is masked by the same rules.

/**
 * How the events this actor reads are masked. The one place where the audit record meets
 * the redaction rules: the list, one event and the export all take their redactor here.
 */
export async function loadAuditRedactor(_options: { actor: TActor }): Promise<TAuditRedactor> {
  // Redaction rules (lib/redaction) are not wired in yet: every reader sees before and after as recorded.
  return showAuditValues;
}
