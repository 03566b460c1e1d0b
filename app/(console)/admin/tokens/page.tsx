import type { Metadata } from 'next';
import { TokensScreen } from '../../../_components/tokens-screen';

export const metadata: Metadata = { title: 'API tokens' };

export default function TokensPage() {
  return <TokensScreen />;
}
