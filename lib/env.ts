import { z } from 'zod';

// Every setting the console and the worker read, checked once at start-up. A bad value
// stops the process with a message that names the variable.

const ZCsv = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const ZPositiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

export const ZEnv = z.object({
  DATABASE_URL: z
    .string()
    .default('postgresql://postgres@127.0.0.1:5432/dlq_console')
    .refine((s) => /^postgres(ql)?:\/\//.test(s), 'must be a postgresql:// URL'),
  RABBITMQ_URL: z
    .string()
    .default('amqp://guest:guest@127.0.0.1:5672')
    .refine((s) => /^amqps?:\/\//.test(s), 'must be an amqp:// or amqps:// URL'),
  DLQ_SOURCES: ZCsv,
  DLQ_LARGE_BODY_BYTES: ZPositiveInt(10 * 1024 * 1024),
  // How much of a body GET /api/v1/messages/{id} carries inline; /body always has all of it.
  DLQ_INLINE_BODY_BYTES: ZPositiveInt(1024 * 1024),
  DLQ_PREFETCH: ZPositiveInt(500),
  DLQ_BATCH_SIZE: ZPositiveInt(200),
  DLQ_BATCH_WAIT_MS: ZPositiveInt(50),
  DLQ_SOURCES_REFRESH_MS: ZPositiveInt(5000),
  // The dispatcher (docs/decisions/0007): how long a claimed publish is held before another
  // replica may retry it, how many it claims at once, and how often it looks without a wake-up.
  DLQ_DISPATCH_LEASE_MS: z.coerce.number().int().min(2000, 'must be at least 2000').default(30_000),
  DLQ_DISPATCH_BATCH: ZPositiveInt(50),
  DLQ_DISPATCH_POLL_MS: ZPositiveInt(1000),
  SESSION_MAX_AGE_SECONDS: ZPositiveInt(8 * 60 * 60),
  // Signs session cookies. Every web replica must share it. Required by the web app only.
  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});
export type TEnv = z.infer<typeof ZEnv>;

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  // `NAME=` in a .env file means "not set", as it does for most tools.
  const set = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = ZEnv.safeParse(set);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  if (result.data.DLQ_BATCH_SIZE > result.data.DLQ_PREFETCH) {
    throw new Error('Invalid environment:\n  DLQ_BATCH_SIZE: must not exceed DLQ_PREFETCH');
  }
  return result.data;
}

let cached: TEnv | undefined;
export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

