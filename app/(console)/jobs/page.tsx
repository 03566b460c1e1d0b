import type { Metadata } from 'next';
import { Suspense } from 'react';
import { JobsScreen } from '../../_components/jobs-screen';

export const metadata: Metadata = { title: 'Jobs' };

export default function JobsPage() {
  return (
    <Suspense fallback={<p className="text-sm text-muted">Loading the bulk jobs…</p>}>
      <JobsScreen />
    </Suspense>
  );
}
