import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Options } from 'amqplib';

// What the demo shop publishes: JSON events with typed headers, plus the awkward cases
// a console must show faithfully (plain text, binary protobuf, gzip, hostile markup).

export type TDemoMessage = { routingKey: string; body: Buffer; properties: Options.Publish };

const HOSTILE_SCRIPT = '<script>alert(1)</script>';
const HOSTILE_IMG = '"><img src=x onerror=alert(1)>';

type TOrder = { orderId: string; customerId: string; email: string; country: string; tenant: string; sku: string; qty: number; cents: number };

const ORDERS: TOrder[] = [
  { orderId: 'ord_10421', customerId: 'cus_8812', email: 'maria.lopez@example.com', country: 'ES', tenant: 'acme-eu', sku: 'MUG-BLUE-350', qty: 2, cents: 1290 },
  { orderId: 'ord_10422', customerId: 'cus_1290', email: 'j.schmidt@example.de', country: 'DE', tenant: 'acme-eu', sku: 'TEE-ORG-M', qty: 1, cents: 2400 },
  { orderId: 'ord_10423', customerId: 'cus_4410', email: 'amelia@example.co.uk', country: 'GB', tenant: 'acme-uk', sku: 'HOODIE-GRY-L', qty: 1, cents: 5900 },
  { orderId: 'ord_10424', customerId: 'cus_0077', email: 'k.tanaka@example.jp', country: 'JP', tenant: 'acme-apac', sku: 'BOTTLE-STL-750', qty: 3, cents: 1999 },
  { orderId: 'ord_10425', customerId: 'cus_3321', email: 'l.martin@example.fr', country: 'FR', tenant: 'acme-eu', sku: 'CAP-BLK', qty: 0, cents: 1500 },
  { orderId: 'ord_10426', customerId: 'cus_5198', email: 'd.okafor@example.com', country: 'NG', tenant: 'acme-emea', sku: 'SOCKS-3PK', qty: 4, cents: 899 },
  { orderId: 'ord_10427', customerId: 'cus_6620', email: 'p.novak@example.cz', country: 'CZ', tenant: 'acme-eu', sku: 'MUG-RED-350', qty: 1, cents: 1290 },
  { orderId: 'ord_10428', customerId: 'cus_7004', email: 's.rossi@example.it', country: 'IT', tenant: 'acme-eu', sku: 'TEE-WHT-S', qty: 2, cents: 2400 },
];

const nowSeconds = () => Math.floor(Date.now() / 1000);
const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
const money = (cents: number, currency = 'EUR') => ({ amount: (cents / 100).toFixed(2), currency });

function baseProperties(app: string, type: string, order: TOrder, retry: number): Options.Publish {
  return {
    messageId: randomUUID(),
    correlationId: `corr-${order.orderId}`,
    timestamp: nowSeconds(),
    appId: app,
    type,
    contentType: 'application/json',
    persistent: true,
    headers: {
      'x-tenant': order.tenant,
      'x-retry': retry,
      'x-schema-version': 3,
      'x-trace': { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), sampled: true },
      'x-requested-at': { '!': 'timestamp', value: nowSeconds() - 5 },
    },
  };
}

function orderBody(o: TOrder) {
  return {
    orderId: o.orderId,
    customer: { id: o.customerId, email: o.email, country: o.country },
    lines: [{ sku: o.sku, quantity: o.qty, unitPrice: money(o.cents) }],
    total: money(o.cents * o.qty),
    placedAt: new Date().toISOString(),
  };
}

/**
 * What a Spring AMQP listener adds when it gives up on a message: the exception, so the
 * console groups failures by their cause and not only by the queue they died in.
 */
function springFailure(exception: string, message: string) {
  return {
    'x-exception-message': message,
    'x-exception-stacktrace': `org.springframework.amqp.rabbit.support.ListenerExecutionFailedException: Listener method 'handle' threw exception
\tat org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer.wrapToListenerExecutionFailedExceptionIfNeeded(AbstractMessageListenerContainer.java:1766)
Caused by: ${exception}: ${message}
\tat com.shop.orders.OrderHandler.handle(OrderHandler.java:88)`,
  };
}

/** Orders the order service rejects: bad quantities, unknown SKUs, and one hostile payload. */
export function rejectedOrders(): TDemoMessage[] {
  const messages = ORDERS.slice(0, 6).map((o, i): TDemoMessage => {
    const properties = baseProperties('storefront', 'order.created', o, i % 3);
    properties.headers = {
      ...properties.headers,
      ...(o.qty === 0 || i % 2 === 1
        ? springFailure('com.shop.orders.InvalidQuantityException', `Order ${o.orderId} line 1: quantity ${o.qty} is not allowed for ${o.sku}`)
        : springFailure('com.shop.orders.CustomerNotFoundException', `Customer ${o.customerId} not found for order ${o.orderId}`)),
      'x-feature-flags': ['new-checkout', 'eu-vat'],
      'x-discount-rate': { '!': 'decimal', value: { places: 2, digits: 15 } },
      'x-gift': i % 2 === 0,
      'x-coupon': i === 2 ? null : `SPRING${20 + i}`,
    };
    return { routingKey: 'order.created', body: json(orderBody(o)), properties };
  });
  const victim = ORDERS[6]!;
  const hostile = baseProperties('storefront', 'order.created', victim, 0);
  hostile.headers = {
    ...hostile.headers,
    'x-customer-name': HOSTILE_SCRIPT,
    'x-customer-note': HOSTILE_IMG,
    '<img src=x onerror=alert(2)>': 'a header whose name is markup',
  };
  messages.push({
    routingKey: 'order.created',
    body: json({
      ...orderBody(victim),
      customer: { id: victim.customerId, name: HOSTILE_SCRIPT, email: victim.email, country: victim.country },
      giftMessage: HOSTILE_IMG,
      website: 'javascript:alert(1)',
    }),
    properties: hostile,
  });
  return messages;
}

/** Checkout reservations valid for one second, which nobody consumes in time. */
export function expiringOrders(): TDemoMessage[] {
  return ORDERS.slice(3, 8).map((o) => {
    const properties = baseProperties('storefront', 'order.created', o, 0);
    return { routingKey: 'order.created', body: json({ ...orderBody(o), reservation: 'stock-hold' }), properties: { ...properties, expiration: '1000' } };
  });
}

/** Bank remittance advice as plain text, which the invoice consumer cannot parse. */
export function remittanceTexts(): TDemoMessage[] {
  return ORDERS.slice(0, 2).map((o, i) => ({
    routingKey: 'invoice.remittance',
    body: Buffer.from([
      'REMITTANCE ADVICE',
      `Payer:     ${o.email}`,
      `Reference: INV-2025-${4410 + i} / ${o.orderId}`,
      `Amount:    ${(o.cents * Math.max(o.qty, 1) / 100).toFixed(2)} EUR`,
      'Value date: 2025-11-24',
      '',
    ].join('\n')),
    properties: {
      ...baseProperties('bank-gateway', 'invoice.remittance', o, 0),
      contentType: 'text/plain; charset=utf-8',
      // NServiceBus records the failure in headers like these.
      headers: {
        'x-tenant': o.tenant,
        'NServiceBus.ExceptionInfo.ExceptionType': 'System.Text.Json.JsonException',
        'NServiceBus.ExceptionInfo.Message': `'R' is an invalid start of a value. Path: $ | LineNumber: 0 | BytePositionInLine: ${i}.`,
      },
    },
  }));
}

/** A minimal protobuf encoder: enough to produce realistic, non-UTF-8 bytes. */
function protobuf(fields: [number, string | number | Buffer][]): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
    out.push(n);
    return Buffer.from(out);
  };
  return Buffer.concat(fields.map(([field, value]) => typeof value === 'number'
    ? Buffer.concat([varint(field << 3), varint(value)])
    : Buffer.concat([varint((field << 3) | 2), varint(Buffer.from(value).length), Buffer.from(value)])));
}

/** Invoices that make the billing consumer crash every time: the broker gives up after the delivery limit. */
export function poisonInvoices(): TDemoMessage[] {
  const invoices = ORDERS.slice(0, 6).map((o, i): TDemoMessage => {
    const properties = baseProperties('billing-service', 'invoice.issued', o, i % 4);
    properties.headers = {
      ...properties.headers,
      'x-billing': { provider: 'stripe', account: `acct_${o.tenant}`, attempt: { number: 1, lastError: 'TaxServiceTimeout' } },
      // MassTransit's fault headers.
      'MT-Fault-ExceptionType': 'System.TimeoutException',
      'MT-Fault-Message': `The tax service at 10.20.0.${10 + i}:8443 did not answer within 30000 ms (invoice inv_${o.orderId.slice(4)})`,
    };
    return {
      routingKey: 'invoice.issued',
      body: json({
        invoiceId: `inv_${o.orderId.slice(4)}`, orderId: o.orderId, customerId: o.customerId,
        lines: [{ description: o.sku, quantity: o.qty, unitPrice: money(o.cents) }],
        tax: { rate: '0.21', amount: money(Math.round(o.cents * o.qty * 0.21)) },
        total: money(Math.round(o.cents * o.qty * 1.21)), dueDate: '2025-12-24',
      }),
      properties,
    };
  });
  const o = ORDERS[6]!;
  const binary = protobuf([[1, `inv_${o.orderId.slice(4)}`], [2, o.orderId], [3, o.cents], [4, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff, 0xfe, 0x00, 0x80])], [5, 'EUR']]);
  invoices.push({
    routingKey: 'invoice.issued',
    body: binary,
    properties: {
      ...baseProperties('billing-legacy', 'billing.v1.Invoice', o, 0),
      contentType: 'application/x-protobuf',
      headers: { 'x-tenant': o.tenant, 'x-proto-schema': 'billing/v1/invoice.proto', 'x-signature': randomBytes(12) },
    },
  });
  const batch = ORDERS.slice(0, 5).map((x) => ({ orderId: x.orderId, total: money(x.cents * x.qty) }));
  invoices.push({
    routingKey: 'invoice.batch',
    body: gzipSync(JSON.stringify({ batchId: 'batch_2025_11_24', invoices: batch })),
    properties: { ...baseProperties('billing-service', 'invoice.batch', ORDERS[7]!, 0), contentEncoding: 'gzip' },
  });
  return invoices;
}

/** Label requests for the carrier API; labels not printed within the queue TTL expire. */
export function labelRequests(): TDemoMessage[] {
  return ORDERS.slice(0, 6).map((o, i) => ({
    routingKey: 'shipment.label.requested',
    body: json({
      shipmentId: `shp_${o.orderId.slice(4)}`, orderId: o.orderId, carrier: i % 2 ? 'DHL' : 'UPS', service: 'express',
      address: { country: o.country, postcode: `${10000 + i * 731}`, line1: `${i + 1} Example Street` },
      parcels: [{ weightGrams: 350 * Math.max(o.qty, 1), dimensionsCm: [30, 20, 10] }],
    }),
    properties: baseProperties('shipping-service', 'shipment.label.requested', o, 0),
  }));
}

/** Carrier tracking updates; the tracking queue keeps only the newest few. */
export function trackingUpdates(count: number): TDemoMessage[] {
  const statuses = ['label_created', 'picked_up', 'in_transit', 'at_hub', 'out_for_delivery', 'delivered'];
  return Array.from({ length: count }, (_, i) => {
    const o = ORDERS[i % ORDERS.length]!;
    return {
      routingKey: 'shipment.tracking.updated',
      body: json({ trackingNumber: `1Z${o.orderId.slice(4)}${String(i).padStart(4, '0')}`, orderId: o.orderId, status: statuses[i % statuses.length], location: o.country, at: new Date().toISOString() }),
      properties: baseProperties('carrier-webhooks', 'shipment.tracking.updated', o, 0),
    };
  });
}
