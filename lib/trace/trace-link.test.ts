import { describe, expect, it } from 'vitest';
import { toTypedTable } from '../ingest/typed-headers';
import { createRedactor } from '../redaction/create-redactor';
import { buildTraceLink, parseB3, parseTraceparent, parseUberTraceId, readTraceIds, traceLinkOf } from './trace-link';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;
const TEMPO = 'https://tempo.example/explore?traceId={traceId}';

const message = (headers: Record<string, unknown>, ids: { correlationId?: string | null; messageId?: string | null } = {}) => ({
  headers: toTypedTable(headers), correlationId: ids.correlationId ?? null, messageId: ids.messageId ?? null,
});

describe('parseTraceparent', () => {
  it('reads the trace and span ids of a valid header', () => {
    expect(parseTraceparent(TRACEPARENT)).toEqual({ traceId: TRACE, spanId: SPAN });
    expect(parseTraceparent(` ${TRACEPARENT} `)).toEqual({ traceId: TRACE, spanId: SPAN });
    // A later version may append fields.
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)).toEqual({ traceId: TRACE, spanId: SPAN });
  });

  it.each([
    ['uppercase hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['a long span id', `00-${TRACE}-${SPAN}0-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with extra fields', `${TRACEPARENT}-extra`],
    ['no flags', `00-${TRACE}-${SPAN}`],
    ['a path in the trace id', `00-${TRACE.slice(0, 30)}/x-${SPAN}-01`],
    ['garbage', 'not a traceparent'],
    ['the redaction mask', '[redacted]'],
  ])('refuses %s', (_, value) => {
    expect(parseTraceparent(value)).toBeNull();
  });
});

describe('B3 and Jaeger headers', () => {
  it('read the single b3 header with a 128- or 64-bit trace id', () => {
    expect(parseB3(`${TRACE}-${SPAN}-1-${'05e3ac9a4f6e3b90'}`)).toEqual({ traceId: TRACE, spanId: SPAN });
    expect(parseB3(`a3ce929d0e0e4736-${SPAN}`)).toEqual({ traceId: 'a3ce929d0e0e4736', spanId: SPAN });
    expect(parseB3('0')).toBeNull();
    expect(parseB3(`${TRACE}`)).toBeNull();
    expect(parseB3(`${'0'.repeat(32)}-${SPAN}`)).toBeNull();
  });

  it('read uber-trace-id, whose ids drop leading zeros', () => {
    expect(parseUberTraceId(`${TRACE}:${SPAN}:0:1`)).toEqual({ traceId: TRACE, spanId: SPAN });
    expect(parseUberTraceId('abc:def:0:1')).toEqual({ traceId: 'abc', spanId: 'def' });
    expect(parseUberTraceId(`${TRACE}:${SPAN}`)).toBeNull();
    expect(parseUberTraceId(`0:${SPAN}:0:1`)).toBeNull();
    expect(parseUberTraceId(`${TRACE}0:${SPAN}:0:1`)).toBeNull();
  });

  it('prefer traceparent, then b3, then X-B3-TraceId, then uber-trace-id, without mixing their ids', () => {
    const b3 = `${'1'.repeat(32)}-${'2'.repeat(16)}`;
    const uber = `${'3'.repeat(32)}:${'4'.repeat(16)}:0:1`;
    expect(readTraceIds(message({ traceparent: TRACEPARENT, b3, 'uber-trace-id': uber }))).toMatchObject({ traceId: TRACE, spanId: SPAN });
    expect(readTraceIds(message({ b3, 'uber-trace-id': uber }))).toMatchObject({ traceId: '1'.repeat(32), spanId: '2'.repeat(16) });
    expect(readTraceIds(message({ 'X-B3-TraceId': '5'.repeat(16), 'X-B3-SpanId': 'bad' }))).toMatchObject({ traceId: '5'.repeat(16), spanId: undefined });
    expect(readTraceIds(message({ 'uber-trace-id': uber }))).toMatchObject({ traceId: '3'.repeat(32), spanId: '4'.repeat(16) });
    // A traceparent that does not parse gives no trace id rather than a guess from another header.
    expect(readTraceIds(message({ traceparent: 'junk', b3 })).traceId).toBeUndefined();
  });

  it('read header values as AMQP types them: any name case, UTF-8 bytes, and not numbers or tables', () => {
    expect(readTraceIds(message({ TraceParent: Buffer.from(TRACEPARENT) })).traceId).toBe(TRACE);
    expect(readTraceIds(message({ traceparent: 42 })).traceId).toBeUndefined();
    expect(readTraceIds(message({ traceparent: { nested: TRACEPARENT } })).traceId).toBeUndefined();
  });
});

describe('buildTraceLink', () => {
  it('fills the template and says which id the link is by', () => {
    expect(traceLinkOf(TEMPO, message({ traceparent: TRACEPARENT }))).toEqual({
      url: `https://tempo.example/explore?traceId=${TRACE}`, by: { key: 'traceId', value: TRACE },
    });
    expect(traceLinkOf('https://jaeger.example/trace/{traceId}?uiFind={spanId}', message({ traceparent: TRACEPARENT }))?.url)
      .toBe(`https://jaeger.example/trace/${TRACE}?uiFind=${SPAN}`);
    expect(traceLinkOf('https://grafana.example/explore?q={correlationId}&m={messageId}', message({}, { correlationId: 'order 42/a?b=c&d#e', messageId: 'm-1' })))
      .toEqual({ url: 'https://grafana.example/explore?q=order%2042%2Fa%3Fb%3Dc%26d%23e&m=m-1', by: { key: 'correlationId', value: 'order 42/a?b=c&d#e' } });
  });

  it('makes no link without a template, or when an id the template needs is missing', () => {
    expect(traceLinkOf(undefined, message({ traceparent: TRACEPARENT }))).toBeNull();
    expect(traceLinkOf(TEMPO, message({}, { correlationId: 'c-1' }))).toBeNull();
    expect(traceLinkOf('https://t.example/{traceId}/{correlationId}', message({ traceparent: TRACEPARENT }))).toBeNull();
    expect(traceLinkOf('https://t.example/{correlationId}', message({}, { correlationId: 'x'.repeat(257) }))).toBeNull();
    expect(buildTraceLink('https://t.example/{messageId}', { messageId: 'bad \ud800 surrogate' })).toBeNull();
  });

  it('cannot be steered elsewhere by an injected value', () => {
    const link = buildTraceLink('https://t.example/trace/{correlationId}', { correlationId: '../../admin?x={traceId}@evil.example/#' });
    expect(link?.url).toBe('https://t.example/trace/..%2F..%2Fadmin%3Fx%3D%7BtraceId%7D%40evil.example%2F%23');
    expect(new URL(link!.url).host).toBe('t.example');
    expect(new URL(link!.url).pathname).toBe('/trace/..%2F..%2Fadmin%3Fx%3D%7BtraceId%7D%40evil.example%2F%23');
  });

  it('makes no link from a header a redaction rule masks for the reader', () => {
    const { headers } = createRedactor([{ kind: 'header', pattern: 'TraceParent' }]).redactHeaders(toTypedTable({ traceparent: TRACEPARENT }));
    expect(traceLinkOf(TEMPO, { headers, correlationId: null, messageId: null })).toBeNull();
  });
});
