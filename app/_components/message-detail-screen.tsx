'use client';

import Link from 'next/link';
import { isNotFound } from '../_lib/api-error';
import { useBackToList } from '../_lib/use-back-to-list';
import { useMessage } from '../_lib/use-messages';
import { BodyViewer } from './body-viewer';
import { DetailSection } from './detail-section';
import { DetailSkeleton } from './detail-skeleton';
import { ErrorPanel } from './error-panel';
import { MessageSummary } from './message-summary';
import { PropertiesTable } from './properties-table';
import { TypedTable } from './typed-table';
import { XDeathTable } from './x-death-table';

export function MessageDetailScreen({ id }: { id: string }) {
  const back = useBackToList();
  const query = useMessage(id);
  const m = query.data;

  return (
    <div className="space-y-3">
      <Link href={back} className="inline-block text-sm text-accent hover:underline">
        ← Messages
      </Link>
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
      {query.isError && !isNotFound(query.error) && (
        <ErrorPanel title="Could not load this message" error={query.error} onRetry={() => void query.refetch()} />
      )}
      {m && (
        <>
          <MessageSummary message={m} />
          <DetailSection id="section-body" title="Body">
            <BodyViewer message={m} />
          </DetailSection>
          <DetailSection id="section-properties" title="Properties">
            <PropertiesTable properties={m.properties} />
          </DetailSection>
          <DetailSection id="section-headers" title="Headers" aside={`${Object.keys(m.headers).length} headers, in the order they arrived`}>
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
