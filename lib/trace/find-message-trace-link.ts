import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { env } from '../env';
import type { TTypedTable } from '../ingest/typed-headers';
import { loadRedactor } from '../redaction/load-redactor';
import { traceLinkOf, type TTraceLink } from './trace-link';

/**
 * The trace link of a stored message, from its headers as `actor` may see them: a header a
 * redaction rule masks for them gives no link. The caller has checked the message is in scope.
 */
export async function findMessageTraceLink({ actor, id }: { actor: TActor; id: bigint }): Promise<TTraceLink | null> {
  const template = env().DLQ_TRACE_URL_TEMPLATE;
  if (!template) return null;
  const row = await prisma().message.findUnique({ where: { id }, select: { headers: true, correlationId: true, messageId: true } });
  if (!row) return null;
  const headers = row.headers as TTypedTable;
  const redactor = await loadRedactor(actor);
  return traceLinkOf(template, { ...row, headers: redactor ? redactor.redactHeaders(headers).headers : headers });
}
