import { describe, expect, it } from 'vitest';
import { toTypedTable } from '../ingest/typed-headers';
import { describeFailure } from './failure-signature';
import { readException } from './read-exception';

// Headers as the ingest stores them (typed), from the shapes each framework sends.
const springHeaders = (orderId: number, id: string) => toTypedTable({
  'x-exception-message': `Order ${orderId} not found (request ${id})`,
  'x-exception-stacktrace': Buffer.from(
    'org.springframework.amqp.rabbit.support.ListenerExecutionFailedException: Listener method threw exception\n'
    + '\tat org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer.wrapToListenerExecutionFailedExceptionIfNeeded(AbstractMessageListenerContainer.java:1750)\n'
    + `Caused by: com.acme.orders.OrderNotFoundException: Order ${orderId} not found (request ${id})\n`
    + '\tat com.acme.orders.OrderListener.handle(OrderListener.java:42)\n',
  ),
  'x-original-exchange': 'orders',
});
const massTransitHeaders = (type: string, id: string) => toTypedTable({
  'MT-Fault-ExceptionType': type,
  'MT-Fault-Message': `The payment ${id} was declined at 2026-11-29T10:11:12.345Z`,
  'MT-Fault-StackTrace': `   at Payments.Consumer.Consume(ConsumeContext\`1 context) in /src/Consumer.cs:line ${id.length}`,
});
const nsbHeaders = (customer: string, amount: number) => toTypedTable({
  'NServiceBus.ExceptionInfo.ExceptionType': Buffer.from('System.InvalidOperationException'),
  'NServiceBus.ExceptionInfo.Message': Buffer.from(`Customer "${customer}" has insufficient credit: ${amount}`),
  'NServiceBus.ExceptionInfo.StackTrace': Buffer.from('System.InvalidOperationException: Customer has insufficient credit\n   at Billing.Handler.Handle()'),
});

const sig = (headers: unknown, originQueue = 'orders', reason: 'rejected' | 'expired' = 'rejected') =>
  describeFailure({ originQueue, reason, headers });

describe('failure signatures', () => {
  it('puts Spring AMQP failures with different ids in one group, typed by the cause under the listener wrapper', () => {
    const a = sig(springHeaders(812, '5f0c1e2a-8d1b-4c3e-9f00-123456789abc'));
    const b = sig(springHeaders(90_731, 'a1b2c3d4-0000-4000-8000-ffffffffffff'));
    expect(a.framework).toBe('spring');
    expect(a.exceptionType).toBe('com.acme.orders.OrderNotFoundException');
    expect(a.exceptionMessage).toBe('Order <n> not found (request <uuid>)');
    expect(a.signature.equals(b.signature)).toBe(true);
  });

  it('puts MassTransit failures with different ids and times in one group', () => {
    const a = sig(massTransitHeaders('Payments.PaymentDeclinedException', '8c1f2e3d4c5b6a79'));
    const b = sig(massTransitHeaders('Payments.PaymentDeclinedException', '0a9b8c7d6e5f4a3b'));
    expect(a).toMatchObject({ framework: 'masstransit', exceptionType: 'Payments.PaymentDeclinedException', exceptionMessage: 'The payment <hex> was declined at <ts>' });
    expect(a.signature.equals(b.signature)).toBe(true);
  });

  it('puts NServiceBus failures sent as byte arrays in one group', () => {
    const a = sig(nsbHeaders('alice@example.com', 12.5));
    const b = sig(nsbHeaders('bob', 700));
    expect(a).toMatchObject({ framework: 'nservicebus', exceptionType: 'System.InvalidOperationException', exceptionMessage: 'Customer <str> has insufficient credit: <n>' });
    expect(a.signature.equals(b.signature)).toBe(true);
  });

  it('separates different exception types, origins and reasons', () => {
    const declined = sig(massTransitHeaders('Payments.PaymentDeclinedException', 'x'));
    const timeout = sig(massTransitHeaders('System.TimeoutException', 'x'));
    expect(declined.signature.equals(timeout.signature)).toBe(false);
    expect(sig({}, 'orders').signature.equals(sig({}, 'billing').signature)).toBe(false);
    expect(sig({}, 'orders', 'rejected').signature.equals(sig({}, 'orders', 'expired').signature)).toBe(false);
  });

  it('groups messages without exception headers by origin and reason', () => {
    const a = sig(toTypedTable({ 'x-custom': 'one' }));
    const b = sig(toTypedTable({}));
    expect(a).toMatchObject({ framework: null, exceptionType: null, exceptionMessage: null });
    expect(a.signature.equals(b.signature)).toBe(true);
  });

  it('reads a configured header, with a type when its text starts with one', () => {
    const plain = readException({ headers: toTypedTable({ 'x-error': 'Stock for SKU 123 is gone' }), customHeader: 'x-error' });
    expect(plain).toEqual({ framework: 'header', type: null, message: 'Stock for SKU 123 is gone' });
    const typed = readException({ headers: toTypedTable({ 'X-Error': 'app.StockError: Stock for SKU 123 is gone' }), customHeader: 'x-error' });
    expect(typed).toEqual({ framework: 'header', type: 'app.StockError', message: 'Stock for SKU 123 is gone' });
    expect(readException({ headers: toTypedTable({ 'x-error': 'ignored' }) })).toBeNull();
  });
});

describe('hostile and odd header shapes', () => {
  const shapes: unknown[] = [
    null, undefined, 42, 'text', [], [1, 2],
    { 'x-exception-message': null },
    { 'x-exception-message': { type: 'table', value: { nested: { type: 'string', value: 'x' } } } },
    { 'x-exception-message': { type: 'array', value: [{ type: 'string', value: 'x' }] } },
    { 'x-exception-message': { type: 'bytes', base64: Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('base64') } },
    { 'x-exception-message': { type: 'bytes', base64: 42 } },
    { 'x-exception-message': { type: 'number', value: 'NaN' } },
    { 'x-exception-message': { type: 'too-deep', depth: 64 } },
    { 'MT-Fault-ExceptionType': { type: 'string' } },
    { 'NServiceBus.ExceptionInfo.Message': { type: 'void' } },
    JSON.parse('{"__proto__": {"type": "string", "value": "polluted"}, "x-exception-stacktrace": {"type": "string", "value": "\\n\\n"}}'),
    { 'x-exception-stacktrace': { type: 'string', value: `${'a.'.repeat(100_000)}Ex: boom` } },
    { 'x-exception-message': { type: 'string', value: `${'9'.repeat(200_000)} \u0000 <script>alert(1)</script>` } },
  ];
  it.each(shapes.map((s, i) => [i, s]))('shape %i: never throws, and caps what it keeps', (_i, headers) => {
    const f = describeFailure({ originQueue: null, reason: 'unknown', headers, customHeader: 'x-exception-message' });
    expect(f.signature).toHaveLength(32);
    expect((f.exceptionMessage ?? '').length).toBeLessThanOrEqual(500);
    expect((f.exceptionType ?? '').length).toBeLessThanOrEqual(255);
    expect(f.exceptionMessage ?? '').not.toMatch(/\u0000/);
  });

  it('reads a string stored as base64 because it held U+0000', () => {
    const f = describeFailure({ originQueue: 'q', reason: 'rejected', headers: toTypedTable({ 'MT-Fault-Message': 'bad\u0000byte 17', 'MT-Fault-ExceptionType': 'X.Y' }) });
    expect(f.exceptionMessage).toBe('bad byte <n>');
  });
});
