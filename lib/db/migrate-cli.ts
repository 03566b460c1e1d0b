import { redactUrl } from '../cli/redact-url';
import { env } from '../env';
import { loadDotEnv } from '../load-dot-env';
import { createDatabaseIfMissing, migrate } from './migrate';

// `npm run db:migrate`: create the database if needed and apply what is pending.
// Exit codes, as the CLI's: 0 done; 1 the database refused or could not be reached (the
// line says which and why); 2 bad environment. One line each, never a stack trace: this
// runs in deploy jobs whose log is read by whoever has to fix the URL.

async function runMigrations(): Promise<number> {
  let databaseUrl: string;
  try {
    loadDotEnv();
    databaseUrl = env().DATABASE_URL;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  try {
    const created = await createDatabaseIfMissing(databaseUrl);
    if (created) console.log(`created database ${new URL(databaseUrl).pathname.slice(1)}`);
    const { applied, alreadyApplied } = await migrate({ databaseUrl });
    for (const name of applied) console.log(`applied ${name}`);
    console.log(`migrations: ${applied.length} applied, ${alreadyApplied.length} already applied`);
    return 0;
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] || (error as { code?: string }).code || String(error);
    console.error(`error: cannot migrate the database at ${redactUrl(databaseUrl)} (DATABASE_URL): ${reason}`);
    return 1;
  }
}

process.exitCode = await runMigrations();
