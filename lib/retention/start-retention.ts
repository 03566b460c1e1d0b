import type { TEnv } from '../env';
import { runPeriodic, type TPeriodic } from '../worker/run-periodic';
import { runRetentionStep } from './run-retention-step';

/** The worker task that purges what retention policies let go, and expires short-lived rows. */
export function startRetention(config: TEnv): TPeriodic {
  return runPeriodic({ name: 'retention', intervalMs: config.DLQ_RETENTION_INTERVAL_MS, step: () => runRetentionStep(config) });
}
