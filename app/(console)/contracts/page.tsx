import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { ContractsScreen } from '../../_components/contracts-screen';
import { ForbiddenPanel } from '../../_components/forbidden-panel';

export const metadata: Metadata = { title: 'Contracts' };

export default async function ContractsPage() {
  // Every role reads contracts today; the check keeps this page honest if a role without messages:read appears.
  const actor = await getSessionActor();
  if (!actor || !canActor(actor, 'messages:read')) return <ForbiddenPanel permission="messages:read" />;
  return <ContractsScreen />;
}
