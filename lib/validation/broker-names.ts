import { z } from 'zod';
import { hasControlCharacters } from './text';

// RabbitMQ names (queues, exchanges, routing keys) are short strings of at most 255 bytes
// of UTF-8. We also refuse control characters so a name always prints and logs cleanly.

function brokerName(what: string, { allowEmpty = false } = {}) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is required` : `${what} must be a string`) })
    .trim()
    .min(allowEmpty ? 0 : 1, `${what} is empty`)
    .refine((s) => Buffer.byteLength(s, 'utf8') <= 255, `${what} is longer than 255 bytes`)
    .refine((s) => !hasControlCharacters(s), `${what} contains control characters`);
}

export const ZQueueName = brokerName('queue name');
/** Not empty: the default exchange ("") is reached by naming the queue instead. */
export const ZExchangeName = brokerName('exchange name');
/** May be empty: a fanout exchange ignores it. */
export const ZRoutingKey = brokerName('routing key', { allowEmpty: true });
