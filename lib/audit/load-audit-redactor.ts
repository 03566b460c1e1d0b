import type { TActor } from '../actor';
import { loadRedactor } from '../redaction/load-redactor';
import { showAuditValues, type TAuditRedactor } from './audit-event-dto';

// Loaded once per request or export, before the first row is mapped, so the redaction
// rules are read once and every event of one answer is masked by the same rules.

/**
 * How the events this actor reads are masked: the one place where the audit record meets
 * the redaction rules. The list, one event and the export all take their redactor here.
 */
export async function loadAuditRedactor({ actor }: { actor: TActor }): Promise<TAuditRedactor> {
  // null: the actor holds messages:read-sensitive, or there is no rule to apply.
  const redactor = await loadRedactor(actor);
  if (!redactor) return showAuditValues;
  return ({ before, after }) => redactor.redactAuditEvent({ before, after });
}
