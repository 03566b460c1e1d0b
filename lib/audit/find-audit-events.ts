import type { z } from 'zod';
import type { TActor } from '../actor';
import type { AuditEvent, Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import type { TAuditEvent } from '../messages/message-dto';
import { escapeLike } from '../messages/message-where';
import { requirePermission } from '../permissions/require-permission';
import { AppError } from '../errors';
import { decodeAuditCursor, encodeAuditCursor, ZAuditFilters, type TAuditFilters, type TAuditPage } from './audit-query';

// Newest first by id: ids grow with commit order, so a page boundary never skips or
// repeats an event written meanwhile (new events land before the first page).

export function toAuditEvent(row: AuditEvent): TAuditEvent {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    messageId: row.messageId?.toString() ?? null,
    reason: row.reason,
    target: row.target,
    result: row.result,
    requestId: row.requestId,
    before: row.before ?? null,
    after: row.after ?? null,
  };
}

function auditWhere(f: z.output<typeof ZAuditFilters>): Prisma.AuditEventWhereInput {
  const prefix = f.actor?.endsWith('*') ? f.actor.slice(0, -1) : null;
  return {
    actor: prefix !== null ? { startsWith: escapeLike(prefix) } : f.actor,
    action: f.action,
    messageId: f.messageId ? BigInt(f.messageId) : undefined,
    at: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
  };
}

type TOptions = { actor: TActor; filters?: TAuditFilters; cursor?: string; limit?: number };

export async function findAuditEvents({ actor, filters = {}, cursor, limit = 50 }: TOptions): Promise<TAuditPage> {
  requirePermission(actor, 'audit:read');
  // Callers other than the route (the CLI, tests) get the same checks the URL gets.
  const parsed = ZAuditFilters.safeParse(filters);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('INVALID_INPUT', issue.code === 'unrecognized_keys' ? `Unknown filter "${issue.keys.join('", "')}"` : `Invalid filter "${issue.path.join('.')}": ${issue.message}`);
  }
  const checked = parsed.data;
  const take = Math.min(Math.max(Math.trunc(limit), 1), 200);
  const rows = await prisma().auditEvent.findMany({
    where: { ...auditWhere(checked), id: cursor ? { lt: decodeAuditCursor(cursor) } : undefined },
    orderBy: { id: 'desc' },
    take: take + 1,
  });
  const page = rows.slice(0, take);
  return {
    items: page.map(toAuditEvent),
    nextCursor: rows.length > take ? encodeAuditCursor(page[page.length - 1]!.id) : null,
  };
}
