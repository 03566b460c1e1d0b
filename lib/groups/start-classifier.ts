import type { TEnv } from '../env';
import { runPeriodic, type TPeriodic } from '../worker/run-periodic';
import { classifyMessages } from './classify-messages';

/** The worker's classifier: a full batch means more are waiting, so the next step runs at once. */
export function startClassifier(config: Pick<TEnv, 'DLQ_CLASSIFY_BATCH' | 'DLQ_CLASSIFY_INTERVAL_MS' | 'DLQ_EXCEPTION_HEADER'>): TPeriodic {
  const batch = config.DLQ_CLASSIFY_BATCH;
  return runPeriodic({
    name: 'classifier',
    intervalMs: config.DLQ_CLASSIFY_INTERVAL_MS,
    step: async () => (await classifyMessages({ batch, customHeader: config.DLQ_EXCEPTION_HEADER })) >= batch,
  });
}
