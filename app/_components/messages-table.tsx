'use client';

import type { ReactNode } from 'react';
import type { TMessageSummary } from '@/lib/messages/message-dto';
import { useNow } from '../_lib/use-now';
import { MessageRow } from './message-row';
import { SkeletonRows } from './skeleton-rows';

export const MESSAGE_COLUMNS = ['Received', 'Source', 'Origin', 'Reason', 'Status', 'Deaths', 'Message ID', 'Routing key(s)', 'Content type', 'Size'];
const RIGHT = new Set(['Deaths', 'Size']);
const noop = () => {};

type TProps = {
  messages: TMessageSummary[] | undefined;
  selectedId: string | null;
  onOpen?: (id: string) => void;
  /** Shown in place of rows (empty or error state). */
  placeholder?: ReactNode;
};

export function MessagesTable({ messages, selectedId, onOpen, placeholder }: TProps) {
  const now = useNow();
  return (
    <div className="overflow-x-auto rounded-md border border-line bg-panel">
      <table aria-label="Dead letters" aria-busy={!messages && !placeholder} className="w-full border-collapse text-[13px]">
        <thead>
          <tr className="border-b border-line bg-sunken text-left text-xs text-muted">
            {MESSAGE_COLUMNS.map((c) => (
              <th key={c} scope="col" className={`px-2 py-1.5 font-medium whitespace-nowrap ${RIGHT.has(c) ? 'text-right' : ''}`}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {placeholder ? (
            <tr>
              <td colSpan={MESSAGE_COLUMNS.length} className="p-0">{placeholder}</td>
            </tr>
          ) : messages ? (
            messages.map((m) => <MessageRow key={m.id} message={m} now={now} isSelected={m.id === selectedId} onOpen={onOpen ?? noop} />)
          ) : (
            <SkeletonRows columns={MESSAGE_COLUMNS.length} />
          )}
        </tbody>
      </table>
    </div>
  );
}
