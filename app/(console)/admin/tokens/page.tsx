import type { Metadata } from 'next';
import { getSessionActor } from '@/lib/auth/session';
import { canActor } from '@/lib/permissions/require-permission';
import { ForbiddenPanel } from '../../../_components/forbidden-panel';
import { TokensScreen } from '../../../_components/tokens-screen';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const actor = await getSessionActor();
  if (!actor || !canActor(actor, 'tokens:manage')) return <ForbiddenPanel permission="tokens:manage">API tokens are managed by admins.</ForbiddenPanel>;
  return <TokensScreen />;
}
