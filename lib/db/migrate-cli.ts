import { env } from '../env';
import { loadDotEnv } from '../load-dot-env';
import { createDatabaseIfMissing, migrate } from './migrate';

loadDotEnv();
const { DATABASE_URL } = env();
const created = await createDatabaseIfMissing(DATABASE_URL);
if (created) console.log(`created database ${new URL(DATABASE_URL).pathname.slice(1)}`);
const { applied, alreadyApplied } = await migrate({ databaseUrl: DATABASE_URL });
for (const name of applied) console.log(`applied ${name}`);
console.log(`migrations: ${applied.length} applied, ${alreadyApplied.length} already applied`);
