import type { TTypedTable } from '../ingest/typed-headers';
import { cutText, toWellFormed } from './cut-text';

// What the producer framework said about the failure, read from the stored (typed)
// headers. Spring AMQP's RepublishMessageRecoverer, MassTransit and NServiceBus each put
// the exception in headers of their own; other producers can name theirs with
// DLQ_EXCEPTION_HEADER. Headers come from anyone: any shape is read without throwing, and
// a value that is not text is ignored.

export const FRAMEWORKS = ['spring', 'masstransit', 'nservicebus', 'header'] as const;
export type TFramework = (typeof FRAMEWORKS)[number];

export type TException = { framework: TFramework; type: string | null; message: string | null };

/** The longest header text read: a stack trace may be megabytes, and only its first lines matter. */
const MAX_READ = 64 * 1024;

/** Spring wraps the listener's exception; the cause is the failure worth grouping by. */
const SPRING_WRAPPERS = /(?:^|\.)(?:ListenerExecutionFailedException|AmqpRejectAndDontRequeueException)$/;

/**
 * `com.acme.FooException: message` or `System.Foo.BarException: message` (first line of a trace).
 * The grammar is unambiguous, so matching is linear in the line: a segment is `[\w$]` characters
 * with an optional generic arity (`List`1`), segments are joined by `.` or `+` only (`$` belongs
 * to a segment: `Outer$Inner`), and no two adjacent parts can match the same character.
 */
const TYPE_LINE = /^\s*(?:Caused by:\s*)?([A-Za-z_$][\w$]*(?:`\d+)?(?:[.+][A-Za-z_$][\w$]*(?:`\d+)?)*(?:\[[^\]]*\])?)(?::\s?(.*))?$/;

/** A type line longer than this is read on its first MAX_TYPE_LINE characters. */
const MAX_TYPE_LINE = 512;

function decodeUtf8(base64: string): string | null {
  try {
    // `stream`: bytes cut in the middle of a character are left out, not an error.
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64.slice(0, MAX_READ * 2), 'base64'), { stream: true });
  } catch {
    return null;
  }
}

/** The text of a header value: a string (plain or base64), UTF-8 bytes, or a raw JS string; anything else is null. */
export function headerText(value: unknown): string | null {
  if (typeof value === 'string') return toWellFormed(cutText(value, MAX_READ));
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as { type?: unknown; value?: unknown; base64?: unknown };
  if (v.type !== 'string' && v.type !== 'bytes') return null;
  if (typeof v.value === 'string') return toWellFormed(cutText(v.value, MAX_READ));
  if (typeof v.base64 === 'string') {
    const text = decodeUtf8(v.base64);
    return text === null ? null : cutText(text, MAX_READ);
  }
  return null;
}

/** A header by its exact name, else by its name in any case (some clients change the case). */
function headerValue(headers: TTypedTable, name: string): string | null {
  if (Object.hasOwn(headers, name)) return nonEmpty(headerText(headers[name]));
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? null : nonEmpty(headerText(headers[key]));
}

function nonEmpty(text: string | null): string | null {
  const t = text?.trim();
  return t ? t : null;
}

/** The exception type and message on a line such as `com.acme.FooException: it broke`. */
export function parseTypeLine(line: string): { type: string; message: string | null } | null {
  const m = TYPE_LINE.exec(cutText(line, MAX_TYPE_LINE));
  if (!m || !m[1]!.includes('.') && !/(Exception|Error|Fault)$/.test(m[1]!)) return null;
  return { type: m[1]!, message: m[2]?.trim() || null };
}

/** The type on a stack trace's first line, or on its first "Caused by:" when the first is Spring's wrapper. */
export function typeFromStackTrace(trace: string | null): string | null {
  if (!trace) return null;
  const lines = trace.split(/\r?\n/, 200);
  const first = parseTypeLine(lines[0] ?? '');
  if (first && !SPRING_WRAPPERS.test(first.type)) return first.type;
  const cause = lines.find((l) => /^\s*Caused by:/.test(l));
  return (cause && parseTypeLine(cause)?.type) || first?.type || null;
}

/** The first line of a multi-line text (stack traces in a message header). */
function firstLine(text: string | null): string | null {
  return text === null ? null : text.split(/\r?\n/, 1)[0]!.trim() || null;
}

export function readException({ headers, customHeader }: { headers: unknown; customHeader?: string }): TException | null {
  if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return null;
  const h = headers as TTypedTable;

  const springMessage = headerValue(h, 'x-exception-message');
  const springTrace = headerValue(h, 'x-exception-stacktrace');
  if (springMessage !== null || springTrace !== null) {
    return { framework: 'spring', type: typeFromStackTrace(springTrace), message: springMessage ?? parseTypeLine(firstLine(springTrace) ?? '')?.message ?? null };
  }

  const mtType = headerValue(h, 'MT-Fault-ExceptionType');
  const mtMessage = headerValue(h, 'MT-Fault-Message');
  const mtTrace = headerValue(h, 'MT-Fault-StackTrace');
  if (mtType !== null || mtMessage !== null || mtTrace !== null) {
    return { framework: 'masstransit', type: mtType ?? typeFromStackTrace(mtTrace), message: mtMessage };
  }

  const nsbType = headerValue(h, 'NServiceBus.ExceptionInfo.ExceptionType');
  const nsbMessage = headerValue(h, 'NServiceBus.ExceptionInfo.Message');
  const nsbTrace = headerValue(h, 'NServiceBus.ExceptionInfo.StackTrace');
  if (nsbType !== null || nsbMessage !== null || nsbTrace !== null) {
    return { framework: 'nservicebus', type: nsbType ?? typeFromStackTrace(nsbTrace), message: nsbMessage };
  }

  if (customHeader) {
    const text = headerValue(h, customHeader);
    if (text !== null) {
      // "com.acme.FooException: message" carries its type; plain text is the message alone.
      const line = firstLine(text);
      const typed = line ? parseTypeLine(line) : null;
      return typed?.message ? { framework: 'header', type: typed.type, message: typed.message } : { framework: 'header', type: null, message: line };
    }
  }
  return null;
}
