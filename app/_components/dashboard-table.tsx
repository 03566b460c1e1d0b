import Link from 'next/link';
import type { TDashboardBy, TDashboardRow } from '@/lib/dashboard/dashboard-dto';
import { formatCount, formatDateTime, formatRelative } from '../_lib/format';
import { replayText, verdictText } from './dashboard-summary';
import { Sparkline } from './sparkline';

// One row per source or origin: the last hour against its baseline, what is unresolved,
// how replays went, and the failure groups behind it. A row's name opens the messages
// list filtered to it.

const cell = 'px-2 py-1.5 align-top';
export const DASHBOARD_COLUMNS = ['Queue', 'Last 15 min', 'Last hour', 'Baseline', 'vs baseline', 'Unresolved', 'Oldest unresolved', 'Replay success 24 h', 'Top failure groups'];

/** The last hour in 5-minute bars: 60 one-minute bars are too thin to see in a table cell. */
function fiveMinutes(spark: number[]): number[] {
  return Array.from({ length: Math.ceil(spark.length / 5) }, (_, i) => spark.slice(i * 5, i * 5 + 5).reduce((a, b) => a + b, 0));
}

function messagesHref(by: TDashboardBy, key: string, extra: Record<string, string> = {}) {
  return `/messages?${new URLSearchParams({ [by]: key, ...extra }).toString()}`;
}

export function DashboardRow({ row: r, by, now }: { row: TDashboardRow; by: TDashboardBy; now: number }) {
  const name = r.key === '' ? '(no origin)' : r.key;
  const above = r.verdict === 'above';
  return (
    <tr data-queue={r.key} className={`border-b border-line last:border-b-0 ${above ? 'bg-red-50/70 dark:bg-red-950/30' : 'hover:bg-sunken'}`}>
      <td className={`${cell} max-w-[18rem] font-mono text-[13px] break-all`}>
        {r.key === '' ? <span className="text-muted">{name}</span> : <Link href={messagesHref(by, r.key)} className="text-accent hover:underline">{name}</Link>}
      </td>
      <td className={`${cell} text-right tabular-nums`} data-col="last15m">{formatCount(r.last15m)}</td>
      <td className={`${cell} whitespace-nowrap`}>
        <div className="flex items-center justify-end gap-2">
          <Sparkline values={fiveMinutes(r.spark)} label={`${name}: ${formatCount(r.lastHour)} in the last hour, at most ${formatCount(Math.max(0, ...r.spark))} a minute`} width={72} height={18} />
          <span className="w-12 text-right font-medium tabular-nums" data-col="last-hour">{formatCount(r.lastHour)}</span>
        </div>
      </td>
      <td className={`${cell} text-right tabular-nums text-muted`} data-col="baseline">{r.baseline === null ? '—' : formatCount(Math.round(r.baseline))}</td>
      <td className={`${cell} whitespace-nowrap`} data-col="verdict">
        {above
          ? <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800 dark:bg-red-900/60 dark:text-red-200">▲ {verdictText(r.lastHour, r.baseline, r.verdict)}</span>
          : <span className={`text-xs ${r.verdict === 'no-baseline' ? 'text-muted italic' : 'text-muted'}`}>{verdictText(r.lastHour, r.baseline, r.verdict)}</span>}
      </td>
      <td className={`${cell} text-right tabular-nums`} data-col="unresolved">
        {r.unresolved === 0 ? <span className="text-muted">0</span> : <Link href={messagesHref(by, r.key)} className="font-medium hover:underline">{formatCount(r.unresolved)}</Link>}
      </td>
      <td className={`${cell} whitespace-nowrap text-xs`} title={r.oldestUnresolvedAt ? formatDateTime(r.oldestUnresolvedAt) : undefined}>
        {r.oldestUnresolvedAt ? formatRelative(r.oldestUnresolvedAt, now) : <span className="text-muted">—</span>}
      </td>
      <td className={`${cell} whitespace-nowrap text-xs tabular-nums`} data-col="replays">
        <span className={r.replays24h > 0 && r.replaySucceeded24h < r.replays24h ? 'font-medium text-red-700 dark:text-red-300' : 'text-muted'}>{replayText(r.replays24h, r.replaySucceeded24h)}</span>
      </td>
      <td className={`${cell} max-w-[24rem] text-xs`}>
        {r.topGroups.length === 0 ? <span className="text-muted">—</span> : (
          <ul className="space-y-0.5">
            {r.topGroups.map((g) => (
              <li key={g.id} className="flex gap-1.5">
                <span className="w-8 shrink-0 text-right tabular-nums text-muted">{formatCount(g.unresolved)}</span>
                <Link href={`/groups/${g.id}`} className="truncate hover:underline" title={[g.exceptionType, g.exceptionMessage].filter(Boolean).join(': ') || `Group ${g.id}`}>
                  {g.exceptionType ?? (g.redacted ? '(exception redacted)' : `${g.reason ?? 'dead-lettered'}${g.originQueue ? ` in ${g.originQueue}` : ''}, no exception`)}
                  {g.exceptionMessage && <span className="text-muted">: {g.exceptionMessage}</span>}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
