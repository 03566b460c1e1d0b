'use client';

import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import type { TMessageDetail } from '@/lib/messages/message-dto';
import { canDo, useMe } from '../_lib/use-me';
import { isPublishing } from '../_lib/use-messages';
import { PendingApprovalNote } from './pending-approval-note';
import { hasRedactions } from './redacted-note';
import { RedirectDialog } from './redirect-dialog';
import { ReplayDialog } from './replay-dialog';
import { StatusActionDialog } from './status-action-dialog';

type TOpen = 'replay' | 'redirect' | 'discard' | 'restore' | null;

/**
 * What the operator may do now: by permission (the server checks again) and by status.
 * Nothing while a publish is in flight; only Restore once discarded. A request for this
 * message that waits for a second person's approval is named beside the buttons.
 */
export function MessageActions({ message }: { message: TMessageDetail }) {
  const router = useRouter();
  const me = useMe();
  const [open, setOpen] = useState<TOpen>(null);
  const close = () => setOpen(null);
  const can = {
    edit: canDo(me.data, 'messages:edit'),
    replay: canDo(me.data, 'messages:replay'),
    redirect: canDo(me.data, 'messages:redirect'),
    discard: canDo(me.data, 'messages:discard'),
  };

  const discarded = message.status === 'discarded';
  let bar: ReactNode;
  if (me.isPending) bar = <div className="h-8" aria-hidden />;
  else if (isPublishing(message.status)) {
    bar = (
      <p role="status" className="inline-flex h-8 items-center gap-2 rounded border border-amber-300 bg-amber-50 px-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-200">
        <span aria-hidden className="inline-block size-3 rounded-full border-2 border-current border-t-transparent motion-safe:animate-spin" />
        Publishing… waiting for the broker to confirm ({message.status})
      </p>
    );
  } else if (!Object.values(can).some(Boolean)) {
    bar = <p className="text-xs text-muted">View only: your role cannot change messages.</p>;
  } else {
    bar = (
      <div role="toolbar" aria-label="Message actions" className="flex flex-wrap items-center gap-2">
        {discarded && <span className="text-xs text-muted">Discarded: restore it to edit, replay or redirect.</span>}
        {!discarded && can.edit && hasRedactions(message.redacted) && (
          // Saving what this role sees would store "[redacted]" as the value; the server refuses it too.
          <button type="button" className="btn cursor-not-allowed opacity-60" aria-disabled="true" aria-describedby={`edit-redacted-${message.id}`}
            title="This message has redacted values: editing it needs the messages:read-sensitive permission">
            Edit
            <span id={`edit-redacted-${message.id}`} className="sr-only">: this message has redacted values; editing it needs the messages:read-sensitive permission</span>
          </button>
        )}
        {!discarded && can.edit && !hasRedactions(message.redacted) && (
          <button type="button" className="btn" onClick={() => router.push(`/messages/${encodeURIComponent(message.id)}/edit`)}>Edit</button>
        )}
        {!discarded && can.replay && <button type="button" className="btn" onClick={() => setOpen('replay')}>Replay</button>}
        {!discarded && can.redirect && <button type="button" className="btn" onClick={() => setOpen('redirect')}>Redirect</button>}
        {!discarded && can.discard && (
          <button type="button" className="btn text-red-800 dark:text-red-300" onClick={() => setOpen('discard')}>Discard</button>
        )}
        {discarded && can.discard && <button type="button" className="btn" onClick={() => setOpen('restore')}>Restore</button>}
      </div>
    );
  }

  // The dialogs outlive a status change (the answer of their own action sets "replaying"):
  // they close themselves on success, or say why they cannot act.
  return (
    <>
      <div className="flex flex-wrap items-center justify-end gap-2">
        <PendingApprovalNote messageId={message.id} />
        {bar}
      </div>
      {open === 'replay' && <ReplayDialog message={message} onClose={close} />}
      {open === 'redirect' && <RedirectDialog message={message} onClose={close} />}
      {(open === 'discard' || open === 'restore') && <StatusActionDialog message={message} action={open} onClose={close} />}
    </>
  );
}
