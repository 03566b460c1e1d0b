import { errorMessage } from '../_lib/api-error';

type TProps = { error: unknown; updatedAt: number; onRetry: () => void };

/** A background refresh failed: the rows stay, but they are no longer live. */
export function StaleBanner({ error, updatedAt, onRetry }: TProps) {
  return (
    <div role="alert" className="flex items-center gap-3 rounded border border-amber-300 bg-amber-50 px-3 py-1.5 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200">
      <span>
        Refresh failed, showing data from {new Date(updatedAt).toLocaleTimeString()}: {errorMessage(error)}
      </span>
      <button type="button" onClick={onRetry} className="btn ml-auto h-7 text-xs">Retry</button>
    </div>
  );
}
