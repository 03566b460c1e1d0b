'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import type { TAuditRevisionLink } from '@/lib/audit/get-audit-event';
import type { TRevision } from '@/lib/messages/message-dto';
import { bodyBytes, tryParseJson } from '../_lib/body-bytes';
import { formatBytes } from '../_lib/format';
import { useRevision } from '../_lib/use-timeline';
import { ErrorPanel } from './error-panel';
import { HexDumpView } from './hex-dump-view';
import { JsonView } from './json-view';
import { VisibleText } from './visible-text';
import { Note } from './note';

/** What the revision is to this event, in the words an auditor asks with. */
function roleOf(action: string, number: number): string {
  const which = number === 0 ? 'the message as it arrived' : `revision #${number}`;
  if (action === 'message.edited') return `${which}: the bytes this edit saved`;
  if (action.startsWith('dispatch.')) return `${which}: the bytes this publish sent`;
  if (action === 'message.redirect_requested') return `${which}: the bytes this redirect sends`;
  return `${which}: the bytes this replay sends`;
}

function Body({ revision }: { revision: TRevision }) {
  const shown = useMemo(() => {
    if (revision.body.encoding === 'base64') return { kind: 'hex' as const, bytes: bodyBytes(revision.body) };
    const json = revision.truncated ? { ok: false as const } : tryParseJson(revision.body.data);
    return json.ok ? { kind: 'json' as const, text: revision.body.data } : { kind: 'text' as const, text: revision.body.data };
  }, [revision]);
  return (
    <div className="space-y-1.5">
      {revision.truncated && <Note>Only the first part of this {formatBytes(revision.size)} body is shown; the message page downloads all of it.</Note>}
      {shown.kind === 'hex' && <HexDumpView bytes={shown.bytes} />}
      {shown.kind === 'json' && <JsonView text={shown.text} />}
      {shown.kind === 'text' && <pre className="body-pre">{shown.text ? <VisibleText text={shown.text} /> : '(empty body)'}</pre>}
      <details className="text-xs">
        <summary className="cursor-pointer text-muted">Headers sent ({Object.keys(revision.headers).length})</summary>
        <div className="mt-1"><JsonView value={revision.headers} /></div>
      </details>
    </div>
  );
}

/** The exact bytes an edit saved or a replay sent, read from the revision itself. */
export function AuditRevisionBytes({ link, action }: { link: TAuditRevisionLink; action: string }) {
  const revision = useRevision(link.messageId, link.exists ? link.number : null);
  return (
    <div className="space-y-2">
      <p className="text-[13px]">
        <span className="font-medium">{roleOf(action, link.number)}</span>
        {revision.data && <span className="text-muted"> · {formatBytes(revision.data.size)}{revision.data.author ? ` · by ${revision.data.author}` : ''}</span>}
      </p>
      {link.exists ? (
        <>
          <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
            <Link href={link.href} className="text-accent hover:underline">Open message #{link.messageId} at revision #{link.number}</Link>
            <a href={link.apiHref} target="_blank" rel="noopener noreferrer" className="text-accent hover:underline">The same from the API (JSON)</a>
          </p>
          {revision.isPending && <p className="text-xs text-muted">Loading the bytes…</p>}
          {revision.isError && <ErrorPanel title="Could not load the bytes" error={revision.error} onRetry={() => void revision.refetch()} />}
          {revision.data && <Body revision={revision.data} />}
        </>
      ) : (
        <Note tone="warn">
          Message #{link.messageId} no longer exists (retention removed it), so its bytes cannot be shown. The event, its before and after and its hash stay.
        </Note>
      )}
    </div>
  );
}
