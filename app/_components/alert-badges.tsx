import type { TAlert, TAlertNotificationState } from '@/lib/alerts/alert-dto';
import type { TMetric } from '@/lib/alerts/alert-rule-dto';
import { formatDateTime } from '../_lib/format';

const STATE_STYLES: Record<TAlert['state'], { text: string; dot: string; label: string }> = {
  firing: {
    text: 'rounded bg-red-100 px-1.5 py-px font-semibold text-red-800 ring-1 ring-red-300 ring-inset dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/40',
    dot: 'bg-red-600 motion-safe:animate-pulse dark:bg-red-400',
    label: 'firing',
  },
  pending: {
    text: 'rounded bg-amber-50 px-1.5 py-px text-amber-900 ring-1 ring-amber-300 ring-inset dark:bg-amber-500/10 dark:text-amber-200 dark:ring-amber-500/40',
    dot: 'bg-amber-500',
    label: 'pending',
  },
  resolved: { text: 'text-green-800 dark:text-green-300', dot: 'bg-green-600 dark:bg-green-400', label: 'resolved' },
};

/** The alert's state in words and colour: firing, pending (waiting out for-minutes), resolved. */
export function AlertStateBadge({ state }: { state: TAlert['state'] }) {
  const style = STATE_STYLES[state] ?? STATE_STYLES.pending;
  return (
    <span className={`inline-flex items-center gap-1.5 text-xs whitespace-nowrap ${style.text}`}>
      <span aria-hidden className={`size-1.5 rounded-full ${style.dot}`} />
      {style.label}
    </span>
  );
}

/** 12.5 → "12.5/min" for inflow, "12" for a count. */
export function formatMetric(value: number, metric: TMetric): string {
  const rounded = Math.round(value * 100) / 100;
  return metric === 'inflow' ? `${rounded.toLocaleString('en-US')}/min` : rounded.toLocaleString('en-US');
}

/** Where each webhook notification of an alert stands: queued, sent, retrying (attempt n, last error), failed. */
export function AlertNotificationStatus({ notifications, hasWebhook = true }: { notifications: TAlertNotificationState[]; hasWebhook?: boolean }) {
  if (notifications.length === 0) return <span className="text-xs text-muted">{hasWebhook ? 'none yet' : 'no webhook'}</span>;
  return (
    <ul className="space-y-0.5 text-xs">
      {notifications.map((n) => (
        <li key={n.event} className="break-words" data-testid={`notification-${n.event}`}>
          <span className="text-muted">{n.event}: </span>
          <NotificationWords n={n} />
        </li>
      ))}
    </ul>
  );
}

function NotificationWords({ n }: { n: TAlertNotificationState }) {
  if (n.state === 'sent') {
    return <span className="text-green-800 dark:text-green-300" title={`Delivered ${formatDateTime(n.sentAt)}`}>sent{n.attempts > 1 ? ` (after ${n.attempts} attempts)` : ''}</span>;
  }
  if (n.state === 'failed') {
    return (
      <span className="font-medium text-red-800 dark:text-red-300">
        failed after {n.attempts} attempt{n.attempts === 1 ? '' : 's'}
        {n.lastError && <span className="font-normal">: {n.lastError}</span>}
      </span>
    );
  }
  if (n.attempts === 0) return <span className="text-muted">queued</span>;
  return (
    <span className="text-amber-900 dark:text-amber-200" title={n.nextAttemptAt ? `Next attempt ${formatDateTime(n.nextAttemptAt)}` : undefined}>
      retrying (attempt {n.attempts} failed{n.lastError ? `: ${n.lastError}` : ''})
    </span>
  );
}
