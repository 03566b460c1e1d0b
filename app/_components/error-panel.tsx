import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../_lib/api-error';

type TProps = { title?: string; error: unknown; onRetry?: () => void; children?: ReactNode };

/** The API's own words for what went wrong (a 400 names the bad parameter), and a way to try again. */
export function ErrorPanel({ title = 'Could not load', error, onRetry, children }: TProps) {
  const status = error instanceof ApiError && error.status > 0 ? `${error.status} ${error.code}` : null;
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
      <p className="font-semibold">
        {title}
        {status && <span className="ml-2 font-mono text-xs font-normal opacity-80">{status}</span>}
      </p>
      <p className="mt-1 break-words">{errorMessage(error)}</p>
      <div className="mt-3 flex items-center gap-2">
        {onRetry && (
          <button type="button" onClick={onRetry} className="btn border-red-300 dark:border-red-800">
            Retry
          </button>
        )}
        {children}
      </div>
    </div>
  );
}
