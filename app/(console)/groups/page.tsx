import type { Metadata } from 'next';
import { Suspense } from 'react';
import { GroupsScreen } from '../../_components/groups-screen';

export const metadata: Metadata = { title: 'Failure groups' };

export default function GroupsPage() {
  return (
    <Suspense fallback={<p className="text-sm text-muted">Loading the failure groups…</p>}>
      <GroupsScreen />
    </Suspense>
  );
}
