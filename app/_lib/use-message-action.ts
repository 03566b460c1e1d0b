'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { TPendingApproval } from '@/lib/approvals/approval-kinds';
import type { TDispatch, TMessageDetail } from '@/lib/messages/message-dto';
import { ApiError } from './api-error';
import { apiPost } from './api-fetch';
import { newIdempotencyKey } from './new-idempotency-key';
import { messagePath } from './use-messages';

export type TMessageAction = 'revisions' | 'replay' | 'redirect' | 'discard' | 'restore';
export type TActionAnswer = {
  message?: TMessageDetail;
  dispatches?: TDispatch[];
  revision?: { id: string; number: number };
  /** The action waits for a second person (202): nothing was done yet. */
  approval?: TPendingApproval['approval'];
};

/** Everything that shows a message's state: after an action, all of it is read again. */
export async function refreshAfterAction(client: ReturnType<typeof useQueryClient>, id: string) {
  await Promise.all([
    client.invalidateQueries({ queryKey: ['message', id] }), // the detail, its timeline and revisions
    client.invalidateQueries({ queryKey: ['messages'] }),
    client.invalidateQueries({ queryKey: ['message-counts'] }),
    client.invalidateQueries({ queryKey: ['audit'] }),
  ]);
}

/**
 * One operator action on a message. The Idempotency-Key is made once per dialog (the hook
 * lives as long as the dialog), so a double click or a retry after a timeout resends the
 * same key and the server acts once. After a definite refusal (4xx) the next attempt is a
 * new request (other version, other input) and gets a new key.
 */
export function useMessageAction<TBody extends { version: number }>(id: string, action: TMessageAction) {
  const client = useQueryClient();
  const [key, setKey] = useState(newIdempotencyKey);
  const mutation = useMutation({
    mutationFn: (body: TBody) => apiPost<TActionAnswer>(messagePath(id, `/${action}`), body, { idempotencyKey: key }),
    onSuccess: (answer) => {
      if (answer.message) client.setQueryData(['message', id], answer.message);
      // Not awaited: the dialog closes on the answer; the page catches up in the background.
      void refreshAfterAction(client, id);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) setKey(newIdempotencyKey());
    },
  });
  const { mutate, reset } = mutation;
  const submit = useCallback((body: TBody, then?: { onSuccess?: (answer: TActionAnswer) => void }) => mutate(body, then), [mutate]);
  return { ...mutation, submit, reset };
}
