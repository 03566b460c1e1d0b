import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ApprovalsScreen } from '../../_components/approvals-screen';

export const metadata: Metadata = { title: 'Approvals' };

export default function ApprovalsPage() {
  return (
    <Suspense fallback={<p className="text-sm text-muted">Loading the approval requests…</p>}>
      <ApprovalsScreen />
    </Suspense>
  );
}
