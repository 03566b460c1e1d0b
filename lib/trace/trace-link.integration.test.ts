import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { classifyMessages } from '../groups/classify-messages';
import { getGroup } from '../groups/get-group';
import { storeDeadLetters } from '../ingest/store-dead-letters';
import { toDeadLetterRow } from '../ingest/to-dead-letter-row';
import { getMessage } from '../messages/get-message';
import { createRedactionRule } from '../redaction/create-redaction-rule';
import { deleteRedactionRule } from '../redaction/delete-redaction-rule';
import { createTestDatabase } from '../testing/test-database';

// The trace link the message and group APIs answer, against the real PostgreSQL: built
// from the stored headers, and withheld from a reader for whom a redaction rule masks the
// header it would come from.

process.env.DLQ_TRACE_URL_TEMPLATE = 'https://tempo.example/trace/{traceId}?span={spanId}';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
const user = (role: 'admin' | 'viewer' | 'auditor'): TActor => ({ kind: 'user', id: randomUUID(), email: `${role}@example.com`, role, scope: null });
const [admin, viewer, auditor] = [user('admin'), user('viewer'), user('auditor')];

function deadLetter(messageId: string, origin: string, headers: Record<string, unknown>) {
  return toDeadLetterRow({
    sourceQueue: 'dlq',
    content: Buffer.from('{"secret":"body"}'),
    fields: { exchange: 'dlx', routingKey: origin },
    properties: { messageId, headers: { ...headers, 'MT-Fault-ExceptionType': 'System.TimeoutException', 'MT-Fault-Message': 'Timed out', 'x-death': [{ queue: origin, reason: 'rejected', count: 1, exchange: '', 'routing-keys': [origin] }] } },
  }, 1024 * 1024);
}

const idOf = async (messageId: string) => (await prisma().message.findFirstOrThrow({ where: { messageId } }));
const url = `https://tempo.example/trace/${TRACE}?span=${SPAN}`;

beforeAll(async () => {
  db = await createTestDatabase('trace');
  await storeDeadLetters([deadLetter('traced', 'orders', { traceparent: `00-${TRACE}-${SPAN}-01` }), deadLetter('plain', 'payments', {})]);
  while ((await classifyMessages({ batch: 10 })) > 0);
}, 60_000);
afterAll(async () => db?.drop());

describe('trace links', () => {
  it('are answered for a message and its group, and are null without trace headers', async () => {
    const traced = await idOf('traced');
    expect(await getMessage({ actor: viewer, id: traced.id.toString() })).toMatchObject({ traceUrl: url, traceUrlBy: { key: 'traceId', value: TRACE } });
    expect(await getGroup({ actor: viewer, id: traced.groupId!.toString() })).toMatchObject({ sampleMessageId: traced.id.toString(), traceUrl: url });

    const plain = await idOf('plain');
    expect(await getMessage({ actor: viewer, id: plain.id.toString() })).toMatchObject({ traceUrl: null, traceUrlBy: null });
    expect(await getGroup({ actor: viewer, id: plain.groupId!.toString() })).toMatchObject({ traceUrl: null, traceUrlBy: null });
  });

  it('are withheld from a reader for whom a rule masks traceparent, and kept for one who may read it', async () => {
    const traced = await idOf('traced');
    const rule = await createRedactionRule({ actor: admin, kind: 'header', pattern: 'TraceParent' });
    try {
      expect(await getMessage({ actor: viewer, id: traced.id.toString() })).toMatchObject({ traceUrl: null, traceUrlBy: null });
      expect((await getGroup({ actor: viewer, id: traced.groupId!.toString() })).traceUrl).toBeNull();
      expect((await getMessage({ actor: auditor, id: traced.id.toString() })).traceUrl).toBe(url);
      expect((await getGroup({ actor: auditor, id: traced.groupId!.toString() })).traceUrl).toBe(url);
    } finally {
      await deleteRedactionRule({ actor: admin, id: rule.id });
    }
  });
});
