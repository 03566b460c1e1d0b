import type { TMessageStatus } from '@/lib/messages/message-dto';

const STYLES: Record<TMessageStatus, string> = {
  new: 'text-blue-800 dark:text-blue-300',
  replayed: 'text-green-800 dark:text-green-300',
  redirected: 'text-violet-800 dark:text-violet-300',
  discarded: 'text-muted line-through decoration-1',
};

const DOTS: Record<TMessageStatus, string> = {
  new: 'bg-blue-600 dark:bg-blue-400',
  replayed: 'bg-green-600 dark:bg-green-400',
  redirected: 'bg-violet-600 dark:bg-violet-400',
  discarded: 'bg-zinc-400',
};

export function StatusBadge({ status }: { status: TMessageStatus }) {
  return (
    <span className={`inline-flex items-center gap-1.5 text-xs whitespace-nowrap ${STYLES[status]}`}>
      <span aria-hidden className={`size-1.5 rounded-full ${DOTS[status]}`} />
      {status}
    </span>
  );
}
