'use client';

import type { TMessageDetail } from '@/lib/messages/message-dto';
import { useActionForm } from '../_lib/use-action-form';
import { useSentForApproval } from '../_lib/use-approvals';
import { ActionDialog } from './action-dialog';
import { ActionError } from './action-error';

type TBody = { version: number; reason?: string };

const COPY = {
  discard: {
    title: 'Discard message',
    description: 'Marks the message as handled without publishing it. It stays stored, keeps its history, and can be restored.',
    submit: 'Discard message',
  },
  restore: {
    title: 'Restore message',
    description: 'Puts the message back to the status it had before it was discarded, so it can be edited, replayed or redirected.',
    submit: 'Restore message',
  },
} as const;

export function StatusActionDialog({ message, action, onClose }: { message: TMessageDetail; action: 'discard' | 'restore'; onClose: () => void }) {
  const form = useActionForm<TBody>(message, action);
  const { sent, onAnswer } = useSentForApproval(onClose);
  const copy = COPY[action];
  return (
    <ActionDialog
      title={copy.title}
      description={copy.description}
      submitLabel={copy.submit}
      tone={action === 'discard' ? 'danger' : 'default'}
      onSubmit={() => form.mutation.submit({ version: form.version, reason: form.reasonValue }, { onSuccess: onAnswer })}
      onClose={onClose}
      isPending={form.mutation.isPending}
      reason={form.reason}
      onReason={form.setReason}
      error={form.mutation.isError && <ActionError error={form.mutation.error} onReload={() => void form.reload()} isReloading={form.isReloading} />}
      sent={sent}
    />
  );
}
