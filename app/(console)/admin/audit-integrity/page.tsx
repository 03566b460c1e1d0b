import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { AuditIntegrityScreen } from '../../../_components/audit-integrity-screen';
import { ForbiddenPanel } from '../../../_components/forbidden-panel';

export const metadata: Metadata = { title: 'Audit integrity' };

export default async function AuditIntegrityPage() {
  // The API refuses too; this says so before an error panel does. The layout has signed the user in.
  const actor = await getSessionActor();
  if (!actor || !canActor(actor, 'audit:read')) {
    return <ForbiddenPanel permission="audit:read">This page shows whether the audit record is still the one that was written.</ForbiddenPanel>;
  }
  return <AuditIntegrityScreen />;
}
