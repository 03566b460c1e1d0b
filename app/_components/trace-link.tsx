import type { TTraceFields } from '@/lib/trace/trace-link';

const ID_NAMES = { traceId: 'trace ID', spanId: 'span ID', correlationId: 'correlation ID', messageId: 'message ID' } as const;

/** The link to the message's trace (DLQ_TRACE_URL_TEMPLATE), saying which id it goes by; nothing when there is none. */
export function TraceLink({ traceUrl, traceUrlBy }: Partial<TTraceFields>) {
  if (!traceUrl || !traceUrlBy) return null;
  return (
    <a href={traceUrl} target="_blank" rel="noopener noreferrer" title={traceUrl} className="break-all text-accent hover:underline">
      Open trace <span className="text-muted">({ID_NAMES[traceUrlBy.key]} <span className="font-mono text-[12.5px]">{traceUrlBy.value}</span>)</span>
      <span aria-hidden> ↗</span>
    </a>
  );
}
