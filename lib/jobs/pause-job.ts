import type { TActor } from '../actor';
import type { TJob } from './job-dto';
import { transitionJob } from './transition-job';

// POST /api/v1/jobs/{id}/pause (see transition-job.ts for the rules).
export function pauseJob(options: { actor: TActor; id: string; reason?: string | null; requestId?: string }): Promise<TJob> {
  return transitionJob({ ...options, move: 'pause' });
}
