import type { Metadata } from 'next';
import { Suspense } from 'react';
import { MessagesScreen } from '../../_components/messages-screen';
import { MessagesTable } from '../../_components/messages-table';

export const metadata: Metadata = { title: 'Messages' };

export default function MessagesPage() {
  return (
    <Suspense fallback={<MessagesTable messages={undefined} selectedId={null} />}>
      <MessagesScreen />
    </Suspense>
  );
}
