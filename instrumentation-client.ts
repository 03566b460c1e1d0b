import { z } from 'zod';

// Runs in the browser before the console's own code. zod probes for eval (new Function)
// the first time a schema is built, to compile faster parsers; the Content-Security-Policy
// (proxy.ts) forbids eval, and the browser reports the caught probe as a violation. The
// interpreted parsers are plenty fast for the few small objects the browser checks.
z.config({ jitless: true });
