import { startAlerts } from '../alerts/start-alerts';
import { startInflowCounter } from '../dashboard/start-inflow-counter';
import type { TEnv } from '../env';
import { startClassifier } from '../groups/start-classifier';
import { startJobRunnerThread } from '../jobs/run-jobs';
import { startOwnershipTagger } from '../ownership/start-ownership-tagger';
import { startRetention } from '../retention/start-retention';
import type { TPeriodic } from './run-periodic';

// The worker's background tasks beside ingest and the dispatcher. Each feature adds its
// task here; main.ts starts them all and stops them on SIGTERM.

export function startBackgroundTasks(_config: TEnv): TPeriodic[] {
  return [
    startClassifier(_config),
    startOwnershipTagger(_config),
    startRetention(_config),
    startInflowCounter(_config),
    ...startAlerts(_config),
    startJobRunnerThread({ pollMs: _config.DLQ_JOB_POLL_MS, leaseMs: _config.DLQ_JOB_LEASE_MS }),
  ];
}
