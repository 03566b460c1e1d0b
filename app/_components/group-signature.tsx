import type { TGroup } from '@/lib/groups/group-dto';
import { ReasonBadge } from './reason-badge';
import { VisibleText } from './visible-text';
import { markInvisible } from './invisible-chars';

/** origin · reason · exception type, and the normalised message under it. */
export function GroupSignature({ group: g, large }: { group: Pick<TGroup, 'originQueue' | 'reason' | 'exceptionType' | 'exceptionMessage' | 'redacted'>; large?: boolean }) {
  return (
    <div className="min-w-0">
      <div className={`flex min-w-0 flex-wrap items-center gap-x-1.5 gap-y-0.5 ${large ? 'text-sm' : ''}`}>
        <span className="font-mono text-[12.5px] font-normal break-all">{g.originQueue === null ? <span className="italic text-muted">unknown origin</span> : <VisibleText text={g.originQueue} />}</span>
        <span aria-hidden className="text-muted">·</span>
        <ReasonBadge reason={g.reason} />
        {g.exceptionType && (
          // The separator wraps with the type, never left dangling at the end of a line.
          <span className="inline-flex min-w-0 items-center gap-1.5">
            <span aria-hidden className="text-muted">·</span>
            <span className="font-mono text-[12.5px] font-semibold break-all"><VisibleText text={g.exceptionType} /></span>
          </span>
        )}
      </div>
      {g.redacted ? (
        <p className="mt-0.5 text-[12px] font-normal text-muted" title="A redaction rule masks the header this exception text came from: seeing it needs the messages:read-sensitive permission">
          <span className="mr-1.5 rounded-sm bg-amber-200 px-1.5 py-px text-[11px] font-semibold text-amber-950 dark:bg-amber-800 dark:text-amber-50">Redacted</span>
          Exception text masked{g.exceptionType ? '' : ' (type and message)'}: seeing it needs <code className="font-mono">messages:read-sensitive</code>
        </p>
      ) : (
        <p className={`mt-0.5 font-mono text-[12px] font-normal text-muted ${large ? 'break-words' : 'line-clamp-2 break-all'}`} title={g.exceptionMessage === null ? undefined : markInvisible(g.exceptionMessage)}>
          {g.exceptionMessage !== null ? <VisibleText text={g.exceptionMessage} /> : (g.exceptionType ? '(no message)' : 'No exception headers: grouped by origin and reason')}
        </p>
      )}
    </div>
  );
}
