'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import type { TMessageDetail } from '@/lib/messages/message-dto';
import { isNotFound } from '../_lib/api-error';
import { shortActor } from '../_lib/timeline-sentence';
import { useBackToList } from '../_lib/use-back-to-list';
import { canDo, useMe } from '../_lib/use-me';
import { isPublishing, useMessage } from '../_lib/use-messages';
import { BodyViewer } from './body-viewer';
import { DetailSection } from './detail-section';
import { DetailSkeleton } from './detail-skeleton';
import { DispatchesTable } from './dispatches-table';
import { ErrorPanel } from './error-panel';
import { MessageActions } from './message-actions';
import { MessageSummary } from './message-summary';
import { MessageTimeline } from './message-timeline';
import { Note } from './note';
import { PropertiesTable } from './properties-table';
import { RedactedNote } from './redacted-note';
import { StaleBanner } from './stale-banner';
import { TypedTable } from './typed-table';
import { XDeathTable } from './x-death-table';

/** Re-reads the timeline when the status or version moves, so the outcome that settled a publish shows at once. */
function useTimelineFollowsMessage(m: TMessageDetail | undefined) {
  const client = useQueryClient();
  const seen = useRef<string | null>(null);
  const stamp = m ? `${m.status}:${m.version}` : null;
  useEffect(() => {
    if (!m || stamp === null) return;
    if (seen.current !== null && seen.current !== stamp) void client.invalidateQueries({ queryKey: ['message', m.id, 'timeline'] });
    seen.current = stamp;
  }, [client, m, stamp]);
}

function FailedPublish({ message }: { message: TMessageDetail }) {
  const latestAction = message.dispatches[0]?.actionId;
  const failed = message.dispatches.filter((d) => d.actionId === latestAction && d.state === 'failed');
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-[13px] text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200">
      <p className="font-semibold">The last publish failed</p>
      {failed.length ? (
        <ul className="mt-1 space-y-0.5">
          {failed.map((d) => (
            <li key={d.id}>
              <span className="font-mono text-[12.5px]">{d.team ? `team ${d.team}` : d.exchange === '' ? `queue ${d.routingKey}` : `exchange ${d.exchange}`}</span>
              {': '}
              {d.lastError ?? 'no reason recorded'}
            </li>
          ))}
        </ul>
      ) : (
        <p>See the dispatches below for the broker’s reason.</p>
      )}
      <p className="mt-1 text-xs opacity-90">Nothing was delivered there. Fix the destination, then replay or redirect again.</p>
    </div>
  );
}

export function MessageDetailScreen({ id }: { id: string }) {
  const back = useBackToList();
  const query = useMessage(id);
  const me = useMe();
  const m = query.data;
  useTimelineFollowsMessage(m);
  const latest = m?.revisions.reduce((a, r) => (a && a.number > r.number ? a : r), m.revisions[0]);

  return (
    <div className="space-y-3">
      <div className="flex min-h-8 flex-wrap items-center gap-3">
        <Link href={back} className="text-sm text-accent hover:underline">
          ← Messages
        </Link>
        {m && (
          <div className="ml-auto">
            <MessageActions message={m} />
          </div>
        )}
      </div>
      {query.isPending && <DetailSkeleton />}
      {query.isError && isNotFound(query.error) && (
        <div role="alert" className="rounded-md border border-line bg-panel px-4 py-10 text-center">
          <p className="font-medium">This message does not exist (or was removed)</p>
          <p className="mt-1 text-sm text-muted">
            No dead letter has the id <span className="font-mono">{id.slice(0, 40)}</span>.{' '}
            <Link href={back} className="text-accent underline">Back to the messages</Link>
          </p>
        </div>
      )}
      {query.isError && !isNotFound(query.error) && !m && (
        <ErrorPanel title="Could not load this message" error={query.error} onRetry={() => void query.refetch()} />
      )}
      {query.isError && m && <StaleBanner error={query.error} updatedAt={query.dataUpdatedAt} onRetry={() => void query.refetch()} />}
      {m && (
        <>
          <MessageSummary message={m} />
          {m.status === 'failed' && <FailedPublish message={m} />}
          <div className="grid items-start gap-3 xl:grid-cols-[minmax(0,1fr)_26rem]">
            <div className="min-w-0 space-y-3">
              {m.dispatches.length > 0 && (
                <DetailSection id="section-dispatches" title="Dispatches" aside="each publish of this message, newest first">
                  <DispatchesTable dispatches={m.dispatches} />
                </DetailSection>
              )}
              <DetailSection id="section-body" title="Body" aside={latest ? 'as it arrived' : undefined}>
                {latest && (
                  <div className="mb-2">
                    <Note>
                      Edited: revision #{latest.number} by {shortActor(latest.author)} is what a replay sends by default.{' '}
                      {canDo(me.data, 'messages:edit') && (
                        <Link href={`/messages/${encodeURIComponent(m.id)}/edit`} className="font-medium text-accent underline">
                          See it and its changes
                        </Link>
                      )}
                    </Note>
                  </div>
                )}
                {m.redacted && m.redacted.paths.length > 0 && <div className="mb-2"><RedactedNote what="body" names={m.redacted.paths} /></div>}
                <BodyViewer message={m} />
              </DetailSection>
            </div>
            <DetailSection id="section-timeline" title="Timeline" aside={isPublishing(m.status) ? 'live' : 'oldest first'}>
              <MessageTimeline id={m.id} live={isPublishing(m.status)} />
            </DetailSection>
          </div>
          <DetailSection id="section-properties" title="Properties">
            <PropertiesTable properties={m.properties} />
          </DetailSection>
          <DetailSection id="section-headers" title="Headers" aside={`${Object.keys(m.headers).length} headers, in the order they arrived`}>
            {m.redacted && m.redacted.headers.length > 0 && <div className="mb-2"><RedactedNote what="headers" names={m.redacted.headers} /></div>}
            {Object.keys(m.headers).length ? <TypedTable entries={m.headers} label="Headers" /> : <p className="text-sm text-muted">The message has no headers.</p>}
          </DetailSection>
          <DetailSection id="section-x-death" title="x-death history" aside="most recent first">
            <XDeathTable entries={m.xDeath} firstDeath={m.firstDeath} lastDeath={m.lastDeath} />
          </DetailSection>
        </>
      )}
    </div>
  );
}
