import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Loads ./.env for the worker, the CLI and the scripts (Next.js loads it itself and never
 * imports this). Variables already set in the environment win, as they do for Next.js.
 */
export function loadDotEnv(file = '.env') {
  if (!existsSync(file)) return;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    process.env[key] ??= value;
  }
}
