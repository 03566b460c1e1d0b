import type { Metadata } from 'next';
import { EditMessageScreen } from '../../../../_components/edit-message-screen';

type TParams = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Edit message ${id.slice(0, 20)}` };
}

export default async function EditMessagePage({ params }: { params: TParams }) {
  const { id } = await params;
  return <EditMessageScreen key={id} id={id} />;
}
