import type { Metadata } from 'next';
import { SandboxesScreen } from '../../_components/sandboxes-screen';

export const metadata: Metadata = { title: 'Sandboxes' };

export default function SandboxesPage() {
  return <SandboxesScreen />;
}
