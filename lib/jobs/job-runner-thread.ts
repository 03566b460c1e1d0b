import { parentPort, workerData } from 'node:worker_threads';
import { disconnectPrisma } from '../db/prisma';
import { log } from '../log';
import { startJobRunner, type TJobRunnerOptions } from './run-jobs';

// The bulk job engine on a thread of its own (started by startJobRunnerThread): each item
// is a whole audited transaction, and on the worker's main thread it would compete with
// ingest and the dispatcher for one core. The thread has its own database pool; stopping
// it finishes the items in flight, as the main thread's tasks do.

const runner = startJobRunner(workerData as TJobRunnerOptions);
parentPort!.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  void (async () => {
    await runner.stop();
    await disconnectPrisma().catch(() => {});
    parentPort!.postMessage('stopped');
  })().catch((error: unknown) => {
    log.error('bulk jobs: cannot stop cleanly', { error });
    parentPort!.postMessage('stopped');
  });
});
