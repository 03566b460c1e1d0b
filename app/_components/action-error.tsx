import { ApiError, errorMessage } from '../_lib/api-error';
import { readChanges, readViolations } from '../_lib/action-error-details';
import { formatDateTime } from '../_lib/format';
import { actionLabel, shortActor } from '../_lib/timeline-sentence';

type TProps = { error: unknown; onReload?: () => void; isReloading?: boolean };

/**
 * Why the server refused an action, in its words. A 409 lists what changed since the
 * operator loaded the message and offers to reload; a contract check lists each violation.
 */
export function ActionError({ error, onReload, isReloading }: TProps) {
  const api = error instanceof ApiError ? error : null;
  const conflict = api?.status === 409;
  const { changes } = readChanges(api?.details);
  const violations = readViolations(api?.details);
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-[13px] text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200">
      <p className="font-semibold">
        {conflict ? 'Someone else changed this message' : violations.length ? 'The body breaks the contract of its origin queue' : 'The server refused'}
        {api && api.status > 0 && <span className="ml-2 font-mono text-xs font-normal opacity-80">{api.status} {api.code}</span>}
      </p>
      <p className="mt-1 break-words">{errorMessage(error)}</p>
      {changes.length > 0 && (
        <ul aria-label="Changes since you loaded it" className="mt-1.5 list-disc space-y-0.5 pl-5">
          {changes.map((c, i) => (
            <li key={i}>
              {actionLabel(c.action)} by {shortActor(c.actor)}
              {c.at && <span className="opacity-80"> at {formatDateTime(c.at)}</span>}
              {c.result && <span> — {c.result}</span>}
              {c.reason && <span className="italic"> “{c.reason}”</span>}
            </li>
          ))}
        </ul>
      )}
      {violations.length > 0 && (
        <ul aria-label="Contract violations" className="mt-1.5 list-disc space-y-0.5 pl-5 font-mono text-[12.5px]">
          {violations.map((v, i) => (
            <li key={i}>
              <span className="font-semibold">{v.path}</span> — <span className="font-sans">{v.message}</span>
            </li>
          ))}
        </ul>
      )}
      {conflict && onReload && (
        <button type="button" onClick={onReload} disabled={isReloading} className="btn mt-2 border-red-300 dark:border-red-800">
          {isReloading ? 'Reloading…' : 'Reload'}
        </button>
      )}
    </div>
  );
}
