import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { ForbiddenPanel } from '../../../_components/forbidden-panel';
import { RetentionScreen } from '../../../_components/retention-screen';

export const metadata: Metadata = { title: 'Retention' };

export default async function RetentionPage() {
  // Admins set how long messages are kept; auditors read it. The layout has signed the user in.
  const actor = await getSessionActor();
  if (!actor || !(canActor(actor, 'settings:manage') || canActor(actor, 'audit:read'))) {
    return <ForbiddenPanel permission={['settings:manage', 'audit:read']}>Retention policies say how long stored messages are kept before the worker deletes them.</ForbiddenPanel>;
  }
  return <RetentionScreen />;
}
