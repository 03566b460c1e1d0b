// Runs once when the web server starts (`next start`, `next dev`, the standalone image),
// before it takes a request: a bad setting stops it with one line naming the variable and
// exit code 2, as the worker and the CLI do, instead of a server that answers every API
// call with a 500.

export async function register() {
  // The edge runtime has no process to stop; the Node.js server checks for both.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { webEnvProblem } = await import('./lib/env');
  const problem = webEnvProblem(process.env);
  if (problem) {
    console.error(`error: ${problem}`);
    process.exit(2);
  }
}
