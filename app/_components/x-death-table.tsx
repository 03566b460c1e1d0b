import type { TDeathSummary, TXDeathEntry } from '@/lib/ingest/parse-death-headers';
import { formatDateTime } from '../_lib/format';
import { ReasonBadge } from './reason-badge';
import { VisibleText } from './visible-text';

type TProps = { entries: TXDeathEntry[]; firstDeath: TDeathSummary | null; lastDeath: TDeathSummary | null };

const th = 'px-2 py-1.5 text-left font-medium whitespace-nowrap';
const td = 'px-2 py-1 align-top';
const none = <span className="text-muted">—</span>;

function DeathSummary({ label, death }: { label: string; death: TDeathSummary | null }) {
  if (!death) return null;
  return (
    <p className="text-xs">
      <span className="font-mono text-muted">{label}</span>{' '}
      queue <span className="font-mono break-all"><VisibleText text={death.queue ?? '—'} /></span>, reason <span className="font-mono break-all"><VisibleText text={death.reason ?? '—'} /></span>, exchange{' '}
      <span className="font-mono break-all">{death.exchange === '' ? '(default)' : <VisibleText text={death.exchange ?? '—'} />}</span>
    </p>
  );
}

/** The broker's x-death header, most recent first, one row per (queue, reason). */
export function XDeathTable({ entries, firstDeath, lastDeath }: TProps) {
  return (
    <div className="space-y-2">
      {entries.length === 0 ? (
        <p className="text-sm text-muted">The message carries no x-death header.</p>
      ) : (
        <table aria-label="x-death history" className="w-full border-collapse text-[13px]">
          <thead>
            <tr className="border-b border-line bg-sunken text-xs text-muted">
              <th scope="col" className={th}>Queue</th>
              <th scope="col" className={th}>Reason</th>
              <th scope="col" className={`${th} text-right`}>Count</th>
              <th scope="col" className={th}>First time</th>
              <th scope="col" className={th}>Exchange</th>
              <th scope="col" className={th}>Routing keys</th>
              <th scope="col" className={th}>Original expiration</th>
            </tr>
          </thead>
          <tbody className="font-mono text-[12.5px]">
            {entries.map((e, i) => (
              <tr key={`${e.queue}|${e.reason}|${i}`} className="border-b border-line last:border-b-0">
                <td className={`${td} break-all`}><VisibleText text={e.queue} /></td>
                <td className={td}><ReasonBadge reason={e.reason} /></td>
                <td className={`${td} text-right tabular-nums`}>{e.count}</td>
                <td className={`${td} whitespace-nowrap`} title={e.time ?? undefined}>{formatDateTime(e.time)}</td>
                <td className={`${td} break-all`}>{e.exchange === '' ? <span className="text-muted">(default)</span> : (e.exchange === null ? none : <VisibleText text={e.exchange} />)}</td>
                <td className={`${td} break-all`}>{e.routingKeys.length ? <VisibleText text={e.routingKeys.join(', ')} /> : none}</td>
                <td className={td}>{e.originalExpiration ? <><VisibleText text={e.originalExpiration} /> ms</> : none}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <DeathSummary label="x-first-death" death={firstDeath} />
      <DeathSummary label="x-last-death" death={lastDeath} />
    </div>
  );
}
