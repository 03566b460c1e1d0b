import type { TMessageStatus } from '@/lib/messages/message-dto';

const STYLES: Record<TMessageStatus, string> = {
  new: 'text-blue-800 dark:text-blue-300',
  edited: 'text-sky-800 dark:text-sky-300',
  replaying: 'text-amber-800 dark:text-amber-300',
  redirecting: 'text-amber-800 dark:text-amber-300',
  replayed: 'text-green-800 dark:text-green-300',
  redirected: 'text-violet-800 dark:text-violet-300',
  discarded: 'text-muted line-through decoration-1',
  failed: 'rounded bg-red-100 px-1 font-semibold text-red-800 ring-1 ring-red-300 ring-inset dark:bg-red-500/15 dark:text-red-300 dark:ring-red-500/40',
};

const DOTS: Record<TMessageStatus, string> = {
  new: 'bg-blue-600 dark:bg-blue-400',
  edited: 'bg-sky-600 dark:bg-sky-400',
  replaying: 'bg-amber-500 motion-safe:animate-pulse',
  redirecting: 'bg-amber-500 motion-safe:animate-pulse',
  replayed: 'bg-green-600 dark:bg-green-400',
  redirected: 'bg-violet-600 dark:bg-violet-400',
  discarded: 'bg-zinc-400',
  failed: 'bg-red-600 dark:bg-red-400',
};

// In flight and failed need words that say what is going on, not just the state's name.
const LABELS: Partial<Record<TMessageStatus, string>> = {
  replaying: 'replaying…',
  redirecting: 'redirecting…',
  failed: 'failed to publish',
};

export function StatusBadge({ status }: { status: TMessageStatus }) {
  // A status this build does not know yet (a newer server) still shows, in neutral colours.
  const style = STYLES[status] ?? 'text-muted';
  return (
    <span className={`inline-flex items-center gap-1.5 text-xs whitespace-nowrap ${style}`} title={`status: ${status}`}>
      <span aria-hidden className={`size-1.5 rounded-full ${DOTS[status] ?? 'bg-zinc-400'}`} />
      {LABELS[status] ?? status}
    </span>
  );
}
