import type { TTypedValue } from '@/lib/ingest/typed-headers';
import { sortedEntries } from '../_lib/typed-value';
import { TypedValueView } from './typed-value-view';

/** The AMQP basic properties the message arrived with (headers are listed separately). */
export function PropertiesTable({ properties }: { properties: Record<string, TTypedValue> }) {
  const rows = sortedEntries(properties);
  if (rows.length === 0) return <p className="text-sm text-muted">The message has no properties.</p>;
  return (
    <table aria-label="Properties" className="w-full border-collapse text-[13px]">
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name} className="border-b border-line last:border-b-0 align-top">
            <th scope="row" className="w-64 px-2 py-1 text-left font-mono text-[12.5px] font-normal text-muted">{name}</th>
            <td className="px-2 py-1 font-mono text-[12.5px]"><TypedValueView value={value} depth={0} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
