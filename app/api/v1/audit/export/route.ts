import { ZAuditExportQuery } from '@/lib/audit/audit-query';
import { exportAuditEvents } from '@/lib/audit/export-audit-events';
import { parseSearchParams } from '@/lib/http/parse-search-params';
import { withOperator } from '@/lib/http/with-operator';

// GET /api/v1/audit/export?format=csv|jsonl&<the list's filters> — every matching event as a streamed download, newest first.
export const GET = withOperator(
  async ({ request, actor }) => {
    const { format, ...filters } = parseSearchParams(ZAuditExportQuery, request.nextUrl.searchParams);
    const file = await exportAuditEvents({ actor, filters, format });
    return new Response(file.stream, {
      headers: {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.filename}"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      },
    });
  },
  { permission: 'audit:export' },
);
