import { ApiError, errorMessage } from '../_lib/api-error';

/** Why the server (or the form itself) refused a change, in its own words. */
export function FormError({ error }: { error: unknown }) {
  const status = error instanceof ApiError && error.status > 0 ? `${error.status} ${error.code}` : null;
  return (
    <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-1.5 text-[13px] break-words text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
      {errorMessage(error)}
      {status && <span className="ml-2 font-mono text-xs opacity-80">{status}</span>}
    </p>
  );
}
