import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

// Structured JSON lines (pino): `level` as a label, ISO `time`, `msg`, then the fields.
// info and debug go to stdout, warn and error to stderr. pino.multistream runs in this
// thread: pino's transports start worker threads, which Next's server bundle breaks.
// Never log bodies or header values: the keys below are censored at any depth anyway.

type TLevel = 'debug' | 'info' | 'warn' | 'error';
type TFields = Record<string, unknown>;
export type TLogContext = { requestId?: string; messageId?: string };
type TWritable = { write(line: string): unknown };

export const CENSORED = '[redacted]';

/**
 * Keys whose values never reach a log line, compared without case, `-` or `_`: message
 * bodies and headers, credentials, and URLs (a webhook URL is a secret; log its host).
 */
const SENSITIVE_KEYS = new Set([
  'body', 'bodyjson', 'headers', 'properties', 'authorization', 'cookie', 'setcookie',
  'password', 'passwordhash', 'token', 'accesstoken', 'refreshtoken', 'idtoken', 'apitoken', 'apikey',
  'secret', 'clientsecret', 'webhookurl', 'url',
]);
const MAX_DEPTH = 8;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** An error as its name, message and code: a stack adds lines, not facts an operator acts on. */
function errorFields(error: Error) {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { name: error.name, message: error.message, code } : { name: error.name, message: error.message };
}

/** A copy of the fields fit for a log line: sensitive keys censored, errors and bigints made JSON, bytes counted. */
function clean(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return errorFields(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1, seen));
  const out: TFields = {};
  for (const [key, v] of Object.entries(value)) out[key] = isSensitiveKey(key) ? CENSORED : clean(v, depth + 1, seen);
  return out;
}

const context = new AsyncLocalStorage<TLogContext>();

/** Runs `fn` with `fields` (merged over any outer context) on every line it logs, awaited work included. */
export function withLogContext<T>(fields: TLogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

export function logContext(): TLogContext | undefined {
  return context.getStore();
}

/**
 * `stream` read inside the log context: a streamed response body is read after its handler
 * returned, from outside the handler's context, so its lines would lose the request id.
 */
export function bindLogContext(fields: TLogContext, stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    pull: (controller) => withLogContext(fields, async () => {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    }),
    cancel: (reason) => withLogContext(fields, () => reader.cancel(reason)),
  }, { highWaterMark: 0 });
}

function levelOf(value: string | undefined): TLevel {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error' ? value : 'info';
}

export function createLogger({ level, stdout, stderr }: { level?: string; stdout: TWritable; stderr: TWritable }): Logger {
  return pino(
    {
      level: levelOf(level),
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => clean(fields, 0, new WeakSet()) as TFields,
      },
      // The context's ids; a field the call passes wins.
      mixin: () => ({ ...context.getStore() }),
    },
    pino.multistream(
      [
        { level: 'debug', stream: stdout as DestinationStream },
        { level: 'warn', stream: stderr as DestinationStream },
      ],
      { dedupe: true },
    ),
  );
}

let logger: Logger | undefined;

/** Created on first use, so LOG_LEVEL from a .env file loaded at start-up counts. */
function instance(): Logger {
  logger ??= createLogger({ level: process.env.LOG_LEVEL, stdout: process.stdout, stderr: process.stderr });
  return logger;
}

export const log = {
  debug: (msg: string, fields?: TFields) => instance().debug(fields ?? {}, msg),
  info: (msg: string, fields?: TFields) => instance().info(fields ?? {}, msg),
  warn: (msg: string, fields?: TFields) => instance().warn(fields ?? {}, msg),
  error: (msg: string, fields?: TFields) => instance().error(fields ?? {}, msg),
};
