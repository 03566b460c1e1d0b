import type { Metadata } from 'next';
import { Suspense } from 'react';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { AuditScreen } from '../../_components/audit-screen';
import { ForbiddenPanel } from '../../_components/forbidden-panel';

export const metadata: Metadata = { title: 'Audit' };

export default async function AuditPage() {
  // The API refuses too; this says so before a table of errors does. The layout has signed the user in.
  const actor = await getSessionActor();
  if (!actor || !canActor(actor, 'audit:read')) {
    return <ForbiddenPanel permission="audit:read">The audit record says who did what to which message, when and why.</ForbiddenPanel>;
  }
  return (
    <Suspense fallback={<p className="text-sm text-muted">Loading the audit record…</p>}>
      <AuditScreen />
    </Suspense>
  );
}
