import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { ForbiddenPanel } from '../../_components/forbidden-panel';
import { SandboxesScreen } from '../../_components/sandboxes-screen';

export const metadata: Metadata = { title: 'Sandboxes' };

export default async function SandboxesPage() {
  // Operators list sandboxes (they pick one when replaying); admins manage them; the layout has signed the user in.
  const actor = await getSessionActor();
  if (!actor || !(canActor(actor, 'sandboxes:manage') || canActor(actor, 'messages:replay'))) {
    return <ForbiddenPanel permission={['sandboxes:manage', 'messages:replay']}>Sandboxes are brokers operators replay to before a fix goes back to its origin.</ForbiddenPanel>;
  }
  return <SandboxesScreen />;
}
