'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TMessageDetail } from '@/lib/messages/message-dto';
import { useMessageAction, type TMessageAction } from './use-message-action';
import { useMessage } from './use-messages';

/**
 * The state every action dialog shares: the reason, and the message version the operator
 * saw when the dialog opened. That version is what the action names, even if the page
 * refreshes meanwhile: a change by someone else must come back as a 409 the operator
 * reads, not be silently acted over. Reload takes the new version on purpose.
 */
export function useActionForm<TBody extends { version: number }>(message: TMessageDetail, action: TMessageAction) {
  const client = useQueryClient();
  const live = useMessage(message.id);
  const [reason, setReason] = useState('');
  const [version, setVersion] = useState(message.version);
  const mutation = useMessageAction<TBody>(message.id, action);
  const [isReloading, setReloading] = useState(false);

  async function reload() {
    setReloading(true);
    try {
      const result = await live.refetch();
      if (result.data) setVersion(result.data.version);
      await client.invalidateQueries({ queryKey: ['message', message.id, 'timeline'] });
      mutation.reset();
    } finally {
      setReloading(false);
    }
  }

  const trimmed = reason.trim();
  return { reason, setReason, version, reasonValue: trimmed === '' ? undefined : trimmed, mutation, reload, isReloading };
}
