import { formatCount } from '../_lib/format';
import { progressPercent, type TJob, type TJobStatus } from '../_lib/use-jobs';

const STYLES: Record<TJobStatus, { text: string; dot: string; label: string }> = {
  awaiting_approval: { text: 'text-amber-800 dark:text-amber-300', dot: 'bg-amber-500', label: 'awaiting approval' },
  queued: { text: 'text-blue-800 dark:text-blue-300', dot: 'bg-blue-600 dark:bg-blue-400', label: 'queued' },
  canary: { text: 'text-amber-800 dark:text-amber-300', dot: 'bg-amber-500 motion-safe:animate-pulse', label: 'canary' },
  running: { text: 'text-blue-800 dark:text-blue-300', dot: 'bg-blue-600 motion-safe:animate-pulse dark:bg-blue-400', label: 'running' },
  paused: { text: 'text-sky-800 dark:text-sky-300', dot: 'bg-sky-600 dark:bg-sky-400', label: 'paused' },
  completed: { text: 'text-green-800 dark:text-green-300', dot: 'bg-green-600 dark:bg-green-400', label: 'completed' },
  halted: {
    text: 'rounded bg-red-100 px-1 font-semibold text-red-800 ring-1 ring-red-300 ring-inset dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/40',
    dot: 'bg-red-600 dark:bg-red-400',
    label: 'halted',
  },
  failed: {
    text: 'rounded bg-red-100 px-1 font-semibold text-red-800 ring-1 ring-red-300 ring-inset dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/40',
    dot: 'bg-red-600 dark:bg-red-400',
    label: 'failed',
  },
  cancelled: { text: 'text-muted', dot: 'bg-zinc-400', label: 'cancelled' },
  rejected: { text: 'text-muted', dot: 'bg-zinc-400', label: 'rejected' },
};

export function JobStatusBadge({ status }: { status: TJobStatus }) {
  // A status this build does not know yet still shows, in neutral colours.
  const style = STYLES[status] ?? { text: 'text-muted', dot: 'bg-zinc-400', label: status };
  return (
    <span className={`inline-flex items-center gap-1.5 text-xs whitespace-nowrap ${style.text}`} title={`status: ${status}`} data-testid="job-status">
      <span aria-hidden className={`size-1.5 rounded-full ${style.dot}`} />
      {style.label}
    </span>
  );
}

/**
 * Done (green) and failed (red) as parts of the total; the rest is what remains. The bar
 * is a progressbar for screen readers, with the counts spelled out.
 */
export function JobProgressBar({ job, size = 'sm' }: { job: Pick<TJob, 'done' | 'failed' | 'total'>; size?: 'sm' | 'lg' }) {
  const total = Math.max(job.total, 1);
  const done = (job.done / total) * 100;
  const failed = (job.failed / total) * 100;
  const percent = progressPercent(job);
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${formatCount(job.done)} done, ${formatCount(job.failed)} failed of ${formatCount(job.total)}`}
      className={`flex w-full overflow-hidden rounded-full bg-line/70 ${size === 'lg' ? 'h-3' : 'h-1.5'}`}
    >
      <div className="h-full bg-green-600 transition-[width] duration-500 dark:bg-green-500" style={{ width: `${done}%` }} />
      <div className="h-full bg-red-600 transition-[width] duration-500 dark:bg-red-500" style={{ width: `${failed}%` }} />
    </div>
  );
}
