import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { ForbiddenPanel } from '../../../_components/forbidden-panel';
import { RedactionScreen } from '../../../_components/redaction-screen';

export const metadata: Metadata = { title: 'Redaction' };

export default async function RedactionPage() {
  // Admins manage the rules; auditors read them to know what others see masked. The layout has signed the user in.
  const actor = await getSessionActor();
  if (!actor || !(canActor(actor, 'redaction:manage') || canActor(actor, 'audit:read'))) {
    return (
      <ForbiddenPanel permission={['redaction:manage', 'audit:read']}>
        Redaction rules mask JSON fields and headers for roles that may not read sensitive values.
      </ForbiddenPanel>
    );
  }
  return <RedactionScreen />;
}
