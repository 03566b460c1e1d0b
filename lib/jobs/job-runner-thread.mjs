// A worker thread does not inherit the TypeScript loader the worker process runs under
// (`tsx`): register it, then load the thread's module.
import { register } from 'tsx/esm/api';

register();
await import('./job-runner-thread.ts');
