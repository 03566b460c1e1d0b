import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { FailureCategoriesScreen } from '../../../_components/failure-categories-screen';
import { ForbiddenPanel } from '../../../_components/forbidden-panel';

export const metadata: Metadata = { title: 'Failure categories' };

export default async function FailureCategoriesPage() {
  // Admins manage the rules; auditors read them. The layout has signed the user in.
  const actor = await getSessionActor();
  if (!actor || !(canActor(actor, 'settings:manage') || canActor(actor, 'audit:read'))) {
    return (
      <ForbiddenPanel permission={['settings:manage', 'audit:read']}>
        Category rules say which failure groups are transient and which are persistent, and what to do about them.
      </ForbiddenPanel>
    );
  }
  return <FailureCategoriesScreen />;
}
