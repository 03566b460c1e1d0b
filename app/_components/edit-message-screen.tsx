'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { TMessageDetail } from '@/lib/messages/message-dto';
import { isNotFound } from '../_lib/api-error';
import { canDo, useMe } from '../_lib/use-me';
import { isPublishing, useMessage } from '../_lib/use-messages';
import { useRevision } from '../_lib/use-timeline';
import { DetailSkeleton } from './detail-skeleton';
import { EditMessageForm } from './edit-message-form';
import { ErrorPanel } from './error-panel';
import { hasRedactions } from './redacted-note';
import { latestRevision } from './revision-select';

const REDACTED_REFUSAL = 'This message has values masked by redaction rules; editing it needs the messages:read-sensitive permission (you would be saving the masks).';

function Refusal({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <div role="alert" className="rounded-md border border-line bg-panel px-4 py-8 text-center text-sm">
      <p>{children}</p>
      <Link href={`/messages/${encodeURIComponent(id)}`} className="mt-2 inline-block text-accent underline">Back to the message</Link>
    </div>
  );
}

/** The editor starts from the latest revision as it was when the page opened. */
function EditorLoader({ message }: { message: TMessageDetail }) {
  const [startedFrom] = useState(() => latestRevision(message.revisions));
  const base = useRevision(message.id, startedFrom);
  if (base.isPending) return <DetailSkeleton />;
  if (base.isError) return <ErrorPanel title="Could not load the body to edit" error={base.error} onRetry={() => void base.refetch()} />;
  if (hasRedactions(base.data.redacted)) return <Refusal id={message.id}>{REDACTED_REFUSAL}</Refusal>;
  return <EditMessageForm message={message} base={base.data} />;
}

export function EditMessageScreen({ id }: { id: string }) {
  const query = useMessage(id);
  const me = useMe();
  // Decided once, on the message as it was when the page opened: a later refresh (Reload
  // after a conflict) must not swap the editor away and lose what the operator typed.
  const [opened, setOpened] = useState<TMessageDetail | null>(null);
  if (!opened && query.data) setOpened(query.data);
  const m = opened ?? query.data;
  const detail = `/messages/${encodeURIComponent(id)}`;

  let content: React.ReactNode = null;
  if (query.isPending || me.isPending) content = <DetailSkeleton />;
  else if (query.isError && isNotFound(query.error)) content = <Refusal id={id}>This message does not exist (or was removed).</Refusal>;
  else if (!m) content = <ErrorPanel title="Could not load this message" error={query.error} onRetry={() => void query.refetch()} />;
  else if (!canDo(me.data, 'messages:edit')) content = <Refusal id={id}>Your role cannot edit messages (it needs the messages:edit permission).</Refusal>;
  else if (hasRedactions(m.redacted)) content = <Refusal id={id}>{REDACTED_REFUSAL}</Refusal>;
  else if (m.status === 'discarded') content = <Refusal id={id}>This message is discarded. Restore it before you edit it.</Refusal>;
  else if (isPublishing(m.status)) content = <Refusal id={id}>A publish of this message is in flight ({m.status}). Wait for its outcome, then edit.</Refusal>;
  else content = <EditorLoader message={m} />;

  return (
    <div className="space-y-3">
      <Link href={detail} className="inline-block text-sm text-accent hover:underline">
        ← Message #{id.slice(0, 20)}
      </Link>
      {content}
    </div>
  );
}
