import type { Metadata } from 'next';
import { JobDetailScreen } from '../../../_components/job-detail-screen';

type TParams = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Job ${id.slice(0, 8)}` };
}

export default async function JobPage({ params }: { params: TParams }) {
  const { id } = await params;
  return <JobDetailScreen key={id} id={id} />;
}
