import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DashboardScreen } from '../_components/dashboard-screen';

export const metadata: Metadata = { title: 'Dashboard' };

export default function DashboardPage() {
  return (
    <Suspense fallback={<p className="text-sm text-muted">Loading the dashboard…</p>}>
      <DashboardScreen />
    </Suspense>
  );
}
