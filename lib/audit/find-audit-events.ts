import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { toAuditEventDto } from './audit-event-dto';
import { checkAuditFilters, decodeAuditCursor, encodeAuditCursor, type TAuditFilters, type TAuditPage } from './audit-query';
import { resolveAuditWhere } from './audit-where';
import { loadAuditRedactor } from './load-audit-redactor';

// Newest first by id: ids are taken in commit order (the chain trigger), so a page
// boundary never skips or repeats an event written meanwhile (new events land before the
// first page).

type TOptions = { actor: TActor; filters?: TAuditFilters; cursor?: string; limit?: number };

export async function findAuditEvents({ actor, filters = {}, cursor, limit = 50 }: TOptions): Promise<TAuditPage> {
  requirePermission(actor, 'audit:read');
  const where = await resolveAuditWhere({ actor, filters: checkAuditFilters(filters) });
  const take = Math.min(Math.max(Math.trunc(limit), 1), 200);
  const redact = await loadAuditRedactor({ actor });
  const rows = await prisma().auditEvent.findMany({
    where: { AND: [where, cursor ? { id: { lt: decodeAuditCursor(cursor) } } : {}] },
    orderBy: { id: 'desc' },
    take: take + 1,
  });
  const page = rows.slice(0, take);
  return {
    items: page.map((row) => toAuditEventDto(row, redact)),
    nextCursor: rows.length > take ? encodeAuditCursor(page[page.length - 1]!.id) : null,
  };
}
