import type { TActor } from '../actor';
import type { TJob } from './job-dto';
import { transitionJob } from './transition-job';

// POST /api/v1/jobs/{id}/resume (see transition-job.ts for the rules).
export function resumeJob(options: { actor: TActor; id: string; reason?: string | null; requestId?: string }): Promise<TJob> {
  return transitionJob({ ...options, move: 'resume' });
}
