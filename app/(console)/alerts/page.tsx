import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { AlertsScreen } from '../../_components/alerts-screen';
import { ForbiddenPanel } from '../../_components/forbidden-panel';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  // Every reader sees what is firing; operators and admins change the rules. The layout has signed the user in.
  const actor = await getSessionActor();
  if (!actor || !canActor(actor, 'messages:read')) {
    return <ForbiddenPanel permission="messages:read">Alerts say which queues receive more dead letters than usual.</ForbiddenPanel>;
  }
  return <AlertsScreen canManage={canActor(actor, 'alerts:manage')} />;
}
