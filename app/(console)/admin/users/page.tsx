import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { ForbiddenPanel } from '../../../_components/forbidden-panel';
import { UsersScreen } from '../../../_components/users-screen';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const actor = await getSessionActor();
  if (!actor || !canActor(actor, 'users:read')) return <ForbiddenPanel permission="users:read">Users and their roles are listed for admins and auditors.</ForbiddenPanel>;
  return <UsersScreen />;
}
