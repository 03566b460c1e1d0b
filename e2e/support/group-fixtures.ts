import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from '@playwright/test';
import { seedDeadLetters, type TSeed } from './fixtures';

// Dead letters as Spring AMQP, MassTransit and NServiceBus leave them, each failure with
// its own ids, seeded through the real broker; the worker's classifier then groups them.

const lib = { prisma: () => import('../../lib/db/prisma') };

/** A package name unique to this run, so rules that match it touch no other spec's groups. */
export const runTag = () => `e2e${randomBytes(3).toString('hex')}`;

export function springFailure(tag: string, orderId: number): TSeed {
  const message = `Order ${orderId} not found`;
  return {
    body: JSON.stringify({ orderId }),
    contentType: 'application/json',
    messageId: `spring-${tag}-${orderId}`,
    headers: {
      'x-exception-message': message,
      // Spring sends the trace as a long string; here as bytes, as some versions do.
      'x-exception-stacktrace': Buffer.from(
        'org.springframework.amqp.rabbit.support.ListenerExecutionFailedException: Listener method threw exception\n'
        + `Caused by: com.acme.${tag}.OrderNotFoundException: ${message}\n\tat com.acme.${tag}.OrderListener.handle(OrderListener.java:42)\n`,
      ),
    },
  };
}

export function massTransitFailure(tag: string, n: number): TSeed {
  return {
    body: JSON.stringify({ paymentId: randomUUID() }),
    contentType: 'application/vnd.masstransit+json',
    messageId: `mt-${tag}-${n}`,
    headers: {
      'MT-Fault-ExceptionType': 'System.TimeoutException',
      'MT-Fault-Message': `The operation timed out after ${1000 + n * 250} ms calling payment ${randomUUID()}`,
      'MT-Fault-StackTrace': '   at Payments.Gateway.Charge()',
    },
  };
}

export function nServiceBusFailure(tag: string, n: number): TSeed {
  return {
    body: `<invoice amount="${n}x"/>`,
    contentType: 'text/xml',
    messageId: `nsb-${tag}-${n}`,
    headers: {
      'NServiceBus.ExceptionInfo.ExceptionType': Buffer.from('System.FormatException'),
      'NServiceBus.ExceptionInfo.Message': Buffer.from(`Input string '${n}x' was not in a correct format.`),
    },
  };
}

/** Seeds the messages and waits until the classifier has put every one of them in a group. */
export async function seedGroupedDeadLetters(label: string, seeds: TSeed[]) {
  const seeded = await seedDeadLetters(label, seeds);
  const { prisma } = await lib.prisma();
  await expect.poll(() => prisma().message.count({ where: { sourceQueue: seeded.dlq, groupId: null } }), { timeout: 30_000, message: 'messages grouped by the classifier' }).toBe(0);
  return {
    ...seeded,
    async groupIdOf(messageId: string): Promise<string> {
      const row = await prisma().message.findFirstOrThrow({ where: { sourceQueue: seeded.dlq, messageId }, select: { groupId: true } });
      return row.groupId!.toString();
    },
  };
}
