import type { Metadata } from 'next';
import { MessageDetailScreen } from '../../../_components/message-detail-screen';

type TParams = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Message ${id.slice(0, 20)}` };
}

export default async function MessagePage({ params }: { params: TParams }) {
  const { id } = await params;
  return <MessageDetailScreen key={id} id={id} />;
}
