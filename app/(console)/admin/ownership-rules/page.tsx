import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { ForbiddenPanel } from '../../../_components/forbidden-panel';
import { OwnershipRulesScreen } from '../../../_components/ownership-rules-screen';

export const metadata: Metadata = { title: 'Ownership rules' };

export default async function OwnershipRulesPage() {
  // Support leads and admins keep ownership current. The layout has signed the user in.
  const actor = await getSessionActor();
  if (!actor || !canActor(actor, 'teams:ownership')) {
    return <ForbiddenPanel permission="teams:ownership">Ownership rules decide which team owns a new message, and where auto-redirect sends it.</ForbiddenPanel>;
  }
  return <OwnershipRulesScreen />;
}
