import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { env } from '../env';

// The one Prisma client. Secrets and bodies are omitted unless a query asks for them,
// so a list or a log line cannot leak them by accident.
const omit = {
  user: { passwordHash: true },
  apiToken: { tokenHash: true },
  message: { body: true },
} as const;

export function createPrisma(connectionString: string) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }), omit });
}
export type TPrisma = ReturnType<typeof createPrisma>;

const globalForPrisma = globalThis as unknown as { dlqPrisma?: TPrisma };

export function prisma(): TPrisma {
  globalForPrisma.dlqPrisma ??= createPrisma(env().DATABASE_URL);
  return globalForPrisma.dlqPrisma;
}
