import { actorLabel, type TActor } from '../actor';
import type { AuditEvent, Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { log } from '../log';
import { requirePermission } from '../permissions/require-permission';
import { csvPreamble, toCsvRow } from './audit-csv';
import { toAuditEventDto } from './audit-event-dto';
import { AUDIT_FILTER_NAMES, checkAuditFilters, type TAuditExportFormat, type TAuditFilters, type TCheckedAuditFilters } from './audit-query';
import { resolveAuditWhere } from './audit-where';
import { loadAuditRedactor } from './load-audit-redactor';

// The audit record as a file, of any size: the stream reads the next keyset batch only
// when the client has taken the previous one, so memory holds a batch or two whatever the
// result's size, and a slow download holds no transaction or connection open between
// batches. Newest first, as the page shows it. Ids are taken in commit order, so events
// written while the file downloads are after the first batch and never appear mid-file.

export type TAuditExport = { filename: string; contentType: string; stream: ReadableStream<Uint8Array> };

type TOptions = { actor: TActor; filters?: TAuditFilters; format: TAuditExportFormat; batchSize?: number; now?: Date };

const CONTENT_TYPES: Record<TAuditExportFormat, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };

/** The filters as a query string, for the file's preamble and the log line. */
function describeFilters(f: TCheckedAuditFilters): string {
  const params = new URLSearchParams();
  for (const key of AUDIT_FILTER_NAMES) {
    const value = f[key];
    if (value !== undefined) params.set(key, value instanceof Date ? value.toISOString() : value);
  }
  return params.toString();
}

export async function exportAuditEvents({ actor, filters = {}, format, batchSize = 1000, now = new Date() }: TOptions): Promise<TAuditExport> {
  requirePermission(actor, 'audit:export');
  const checked = checkAuditFilters(filters);
  const where = await resolveAuditWhere({ actor, filters: checked });
  const redact = await loadAuditRedactor({ actor });
  const query = describeFilters(checked);
  const readBatch = (before: bigint | null) =>
    prisma().auditEvent.findMany({ where: { AND: [where, before !== null ? { id: { lt: before } } : {}] } satisfies Prisma.AuditEventWhereInput, orderBy: { id: 'desc' }, take: batchSize });
  const encode = (rows: AuditEvent[]) =>
    rows.map((row) => (format === 'csv' ? toCsvRow(toAuditEventDto(row, redact)) : `${JSON.stringify(toAuditEventDto(row, redact))}\n`)).join('');

  // The first batch is read before the answer starts, so a failing database is an error
  // status rather than a 200 with an empty file.
  let next: AuditEvent[] = await readBatch(null);
  let rows = 0;
  const started = performance.now();
  const summary = () => ({ actor: actorLabel(actor), format, filters: query, rows, ms: Math.round(performance.now() - started) });
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === 'csv') controller.enqueue(encoder.encode(csvPreamble({ exportedAt: now, query })));
    },
    async pull(controller) {
      try {
        const current = next;
        rows += current.length;
        if (current.length > 0) controller.enqueue(encoder.encode(encode(current)));
        if (current.length < batchSize) {
          controller.close();
          log.info('audit exported', summary());
          return;
        }
        // Read ahead while the client takes this batch; the next pull waits for it.
        next = await readBatch(current[current.length - 1]!.id);
      } catch (error) {
        // The client sees a broken download (no final chunk), never a file that looks complete.
        log.error('audit export failed', { ...summary(), error });
        controller.error(error);
      }
    },
    cancel() {
      log.info('audit export cancelled by the client', summary());
    },
  }, { highWaterMark: 0 });

  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return { filename: `audit-events-${stamp}.${format}`, contentType: CONTENT_TYPES[format], stream };
}
