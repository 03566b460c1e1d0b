import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditScreen } from '../../_components/audit-screen';

export const metadata: Metadata = { title: 'Audit' };

export default function AuditPage() {
  return (
    <Suspense fallback={<p className="text-sm text-muted">Loading the audit record…</p>}>
      <AuditScreen />
    </Suspense>
  );
}
