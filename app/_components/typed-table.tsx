import type { TTypedTable, TTypedValue } from '@/lib/ingest/typed-headers';
import { TypeBadge } from './type-badge';
import { TypedValueView } from './typed-value-view';
import { VisibleText } from './visible-text';

type TProps = {
  /** A header table or array items as [index, value] pairs, in the order they arrived. */
  entries: TTypedTable | [string, TTypedValue][];
  depth?: number;
  label?: string;
};

/** Name | Type | Value rows of typed AMQP values; nested tables render inside the Value cell. */
export function TypedTable({ entries, depth = 0, label }: TProps) {
  const rows = Array.isArray(entries) ? entries : Object.entries(entries);
  return (
    <table aria-label={label} className="w-full border-collapse text-[13px]">
      {depth === 0 && (
        <thead>
          <tr className="border-b border-line bg-sunken text-left text-xs text-muted">
            <th scope="col" className="w-64 px-2 py-1.5 font-medium">Name</th>
            <th scope="col" className="w-24 px-2 py-1.5 font-medium">Type</th>
            <th scope="col" className="px-2 py-1.5 font-medium">Value</th>
          </tr>
        </thead>
      )}
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name} className="border-b border-line last:border-b-0 align-top">
            <th scope="row" className={`px-2 py-1 text-left font-mono text-[12.5px] font-normal break-all ${depth === 0 ? 'w-64' : 'w-36'}`}><VisibleText text={name} /></th>
            <td className={`px-2 py-1 ${depth === 0 ? 'w-24' : 'w-20'}`}><TypeBadge type={value.type} /></td>
            <td className="px-2 py-1 font-mono text-[12.5px]"><TypedValueView value={value} depth={depth} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
