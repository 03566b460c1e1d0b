'use client';

import { auditExportUrl, type TAuditFilters } from '../_lib/use-audit-events';

const link = 'inline-flex h-7 items-center rounded border border-line bg-panel px-2.5 text-xs font-medium text-fg hover:bg-sunken';

/**
 * Plain links: the browser downloads the stream as it arrives, with the session cookie,
 * whatever its size. Disabled while the filters are refused, so a 400 is never saved as a file.
 */
export function AuditExportLinks({ filters, disabled }: { filters: TAuditFilters; disabled: boolean }) {
  if (disabled) {
    return (
      <div className="flex items-center gap-1.5" title="Fix the filters to export">
        <button type="button" disabled className={`${link} cursor-not-allowed opacity-60`}>Export CSV</button>
        <button type="button" disabled className={`${link} cursor-not-allowed opacity-60`}>Export JSON Lines</button>
      </div>
    );
  }
  return (
    <div className="flex items-center gap-1.5">
      <a href={auditExportUrl(filters, 'csv')} download className={link} title="Every event matching these filters, as CSV (RFC 4180), newest first">
        Export CSV
      </a>
      <a href={auditExportUrl(filters, 'jsonl')} download className={link} title="Every event matching these filters, one JSON object per line, newest first">
        Export JSON Lines
      </a>
    </div>
  );
}
