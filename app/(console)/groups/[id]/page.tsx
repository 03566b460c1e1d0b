import type { Metadata } from 'next';
import { GroupDetailScreen } from '../../../_components/group-detail-screen';

type TParams = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Failure group ${id.slice(0, 20)}` };
}

export default async function GroupPage({ params }: { params: TParams }) {
  const { id } = await params;
  return <GroupDetailScreen key={id} id={id} />;
}
