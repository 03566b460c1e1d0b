import Link from 'next/link';
import type { TBaselineVerdict } from '@/lib/dashboard/baseline';
import type { TDashboard } from '@/lib/dashboard/dashboard-dto';
import { formatCount, formatDateTime, formatRelative } from '../_lib/format';

// The strip at the top: what an on-call engineer checks first.

export function verdictText(value: number, baseline: number | null, verdict: TBaselineVerdict): string {
  if (verdict === 'no-baseline') return 'no baseline yet';
  const b = baseline ?? 0;
  const times = b > 0 ? `${(value / b).toFixed(1)}× ` : '';
  if (verdict === 'above') return `above baseline${times ? ` (${times.trim()})` : ''}`;
  if (verdict === 'below') return `below baseline${times ? ` (${times.trim()})` : ''}`;
  return 'normal';
}

export function replayText(replays: number, succeeded: number): string {
  if (replays === 0) return 'no replays';
  return `${Math.round((succeeded / replays) * 100)}% (${formatCount(succeeded)} of ${formatCount(replays)})`;
}

function Tile({ label, value, detail, href, tone = 'plain', testId }: {
  label: string; value: string; detail?: string; href?: string; tone?: 'plain' | 'warn'; testId: string;
}) {
  const body = (
    <>
      <div className="text-[11px] font-medium tracking-wide text-muted uppercase">{label}</div>
      <div className={`text-xl font-semibold tabular-nums ${tone === 'warn' ? 'text-red-700 dark:text-red-300' : ''}`} data-testid={`${testId}-value`}>{value}</div>
      {detail && <div className="truncate text-xs text-muted" title={detail}>{detail}</div>}
    </>
  );
  const cls = `block min-w-[10rem] flex-1 rounded-md border bg-panel px-3 py-2 ${tone === 'warn' ? 'border-red-300 dark:border-red-800' : 'border-line'}`;
  return href
    ? <Link href={href} className={`${cls} hover:bg-sunken`} data-testid={testId}>{body}</Link>
    : <div className={cls} data-testid={testId}>{body}</div>;
}

export function DashboardSummary({ summary, now }: { summary: TDashboard['summary']; now: number }) {
  const s = summary;
  return (
    <section aria-label="Summary" className="flex flex-wrap gap-2">
      <Tile testId="summary-inflow" label="Dead-lettered, last hour" value={formatCount(s.lastHour)}
        detail={s.baseline === null ? 'no baseline yet' : `${verdictText(s.lastHour, s.baseline, s.verdict)}; baseline ${formatCount(Math.round(s.baseline))}`}
        tone={s.verdict === 'above' ? 'warn' : 'plain'} />
      <Tile testId="summary-unresolved" label="Unresolved" value={formatCount(s.unresolved)} href="/messages" detail="new, edited or failed" />
      <Tile testId="summary-oldest" label="Oldest unresolved" value={s.oldestUnresolvedAt ? formatRelative(s.oldestUnresolvedAt, now) : '—'}
        detail={s.oldestUnresolvedAt ? formatDateTime(s.oldestUnresolvedAt) : 'nothing waiting'} />
      <Tile testId="summary-replays" label="Replay success, 24 h" value={s.replays24h === 0 ? '—' : `${Math.round((s.replaySucceeded24h / s.replays24h) * 100)}%`}
        detail={s.replays24h === 0 ? 'no replays' : `${formatCount(s.replaySucceeded24h)} of ${formatCount(s.replays24h)} did not dead-letter again`}
        tone={s.replays24h > 0 && s.replaySucceeded24h < s.replays24h ? 'warn' : 'plain'} />
      <Tile testId="summary-alerts" label="Alerts firing" value={formatCount(s.firingAlerts)} href="/alerts"
        detail={s.firingAlerts === 0 ? 'none' : 'open the alerts'} tone={s.firingAlerts > 0 ? 'warn' : 'plain'} />
    </section>
  );
}
