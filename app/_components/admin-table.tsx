import type { ReactNode } from 'react';
import { SkeletonRows } from './skeleton-rows';

const th = 'px-2 py-1.5 text-left font-medium whitespace-nowrap';

/**
 * The dense table of the admin pages (teams, sandboxes, contracts): a header row from
 * `columns` ("Actions" is named for screen readers only), skeleton rows while loading.
 */
export function AdminTable({ label, columns, loading, skeletonRows, children }: {
  label: string;
  columns: string[];
  loading: boolean;
  skeletonRows: number;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-md border border-line bg-panel">
      <table aria-label={label} aria-busy={loading} className="w-full border-collapse text-[13px]">
        <thead>
          <tr className="border-b border-line bg-sunken text-xs text-muted">
            {columns.map((c) => <th key={c} scope="col" className={th}>{c === 'Actions' ? <span className="sr-only">Actions</span> : c}</th>)}
          </tr>
        </thead>
        <tbody>
          {loading && <SkeletonRows rows={skeletonRows} columns={columns.length} />}
          {children}
        </tbody>
      </table>
    </div>
  );
}
