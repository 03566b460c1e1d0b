import type { TTypedValue } from '@/lib/ingest/typed-headers';
import { base64ToBytes } from '../_lib/body-bytes';
import { hexPreview } from '../_lib/hex-dump';
import { formatDecimal, timestampToIso, typedStringText } from '../_lib/typed-value';
import { TypedTable } from './typed-table';
import { VisibleText } from './visible-text';

const muted = 'text-muted';

/** One typed AMQP value, always as text; tables and arrays open into a nested, indented table. */
export function TypedValueView({ value, depth }: { value: TTypedValue; depth: number }) {
  switch (value.type) {
    case 'string': {
      const text = typedStringText(value);
      return text === '' ? <span className={`${muted} italic`}>(empty string)</span> : <span className="break-all whitespace-pre-wrap"><VisibleText text={text} /></span>;
    }
    case 'number':
      return <span className="tabular-nums">{String(value.value)}</span>;
    case 'boolean':
      return <span>{value.value ? 'true' : 'false'}</span>;
    case 'timestamp': {
      const iso = timestampToIso(value.value);
      return (
        <span>
          {iso ?? 'invalid date'} <span className={muted}>({value.value})</span>
        </span>
      );
    }
    case 'decimal':
      return (
        <span>
          {formatDecimal(value.value)}{' '}
          <span className={muted}>
            ({value.value.digits} / 10^{value.value.places})
          </span>
        </span>
      );
    case 'bytes': {
      const bytes = base64ToBytes(value.base64);
      return (
        <span>
          {hexPreview(bytes) || '(empty)'} <span className={muted}>({bytes.length} {bytes.length === 1 ? 'byte' : 'bytes'})</span>
        </span>
      );
    }
    case 'void':
      return <span className={`${muted} italic`}>void (null)</span>;
    case 'too-deep':
      return <span className={`${muted} italic`}>nested more than {value.depth} levels deep: not stored below this point</span>;
    case 'array':
    case 'table': {
      const size = value.type === 'array' ? value.value.length : Object.keys(value.value).length;
      const label = value.type === 'array' ? `${size} ${size === 1 ? 'item' : 'items'}` : `${size} ${size === 1 ? 'key' : 'keys'}`;
      if (size === 0) return <span className={muted}>empty {value.type}</span>;
      return (
        <details open={depth < 2 || size <= 4}>
          <summary className="cursor-pointer text-muted select-none hover:text-fg">{label}</summary>
          <div className="mt-1 border-l-2 border-line pl-3">
            <TypedTable entries={value.type === 'array' ? value.value.map((v, i): [string, TTypedValue] => [`[${i}]`, v]) : value.value} depth={depth + 1} />
          </div>
        </details>
      );
    }
    default:
      return <span className={muted}>unrecognised value</span>;
  }
}
