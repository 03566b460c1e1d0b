import type { GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { editMessage } from '../messages/edit-message';
import { getMessage, readMessageBody } from '../messages/get-message';
import { getMessageTimeline } from '../messages/get-message-timeline';
import { getRevision } from '../messages/get-revision';
import { replayMessage } from '../messages/replay-message';
import { addSources } from '../sources/add-sources';
import { runCli } from '../testing/run-cli';
import { createTestBroker, TEST_RABBITMQ_URL, waitFor, type TTestBroker } from '../testing/test-broker';
import { createTestDatabase } from '../testing/test-database';
import { runDispatcher, type TDispatcher } from '../dispatch/run-dispatcher';
import { runWorker, type TWorker } from '../worker/run-worker';
import { createRedactionRule } from './create-redaction-rule';
import { deleteRedactionRule } from './delete-redaction-rule';
import { listRedactionRules } from './list-redaction-rules';

// Redaction against the real PostgreSQL and RabbitMQ: what a viewer reads never holds a
// masked value, an auditor reads everything, the audit log never stores one in clear, and
// a replay still sends the real bytes.

const CARD = '4111111111111111';
const TOKEN = 'Bearer tok-s3cr3t-first';
const NEW_TOKEN = 'Bearer tok-s3cr3t-second';
const TENANT = 'tenant-acme-7781';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let broker: TTestBroker;
let worker: TWorker;
let dispatcher: TDispatcher;
let dlx: string;

const user = (n: number, role: 'viewer' | 'operator' | 'auditor' | 'admin'): TActor => ({
  kind: 'user', id: `00000000-0000-4000-8000-00000000000${n}`, email: `${role}@example.com`, role,
});
const viewer = user(1, 'viewer');
const operator = user(2, 'operator');
const auditor = user(3, 'auditor');
const admin = user(4, 'admin');

beforeAll(async () => {
  db = await createTestDatabase('redaction');
  broker = await createTestBroker('redaction');
  dlx = await broker.exchange('dlx', 'fanout');
  const dlq = await broker.queue('dlq');
  await broker.channel.bindQueue(dlq, dlx, '');
  await addSources({ actor: { kind: 'system', name: 'cli' }, queues: [dlq] });
  worker = runWorker({ rabbitUrl: TEST_RABBITMQ_URL, refreshMs: 200, prefetch: 100, batchSize: 50, batchWaitMs: 20, largeBodyBytes: 1024 * 1024 });
  dispatcher = runDispatcher({ rabbitUrl: TEST_RABBITMQ_URL, databaseUrl: db.url, leaseMs: 10_000, batch: 50, pollMs: 200 });
  await Promise.all([worker.ready, dispatcher.ready]);
  await createRedactionRule({ actor: admin, kind: 'json_path', pattern: '$.card.number' });
  await createRedactionRule({ actor: admin, kind: 'header', pattern: 'Authorization' });
});

afterAll(async () => {
  await dispatcher?.stop();
  await worker?.stop();
  await broker?.cleanup();
  await db?.drop();
});

async function take(queue: string): Promise<GetMessage> {
  return waitFor(async () => (await broker.channel.get(queue, { noAck: true })) || undefined, { what: `a message in ${queue}` });
}

/** A card payment with a bearer token, dead-lettered from its own work queue and stored. */
async function deadLetterPayment(suffix: string) {
  const work = await broker.queue(suffix, { deadLetterExchange: dlx });
  const body = JSON.stringify({ order: 7, card: { number: CARD, exp: '12/30' } }, null, 2);
  broker.channel.sendToQueue(work, Buffer.from(body), {
    contentType: 'application/json', headers: { authorization: TOKEN, 'x-tenant': TENANT },
  });
  const m = await waitFor(async () => (await broker.channel.get(work, { noAck: false })) || undefined, { what: `a message in ${work}` });
  broker.channel.nack(m, false, false);
  const row = await waitFor(() => prisma().message.findFirst({ where: { originQueue: work }, omit: { body: false } }).then((r) => r ?? undefined), { what: 'the stored message' });
  return { work, row, id: row.id.toString() };
}

async function everythingReadBy(actor: TActor, id: string) {
  const body = await readMessageBody({ actor, id });
  return {
    detail: await getMessage({ actor, id }),
    body: { ...body, id: body.id.toString(), body: Buffer.from(body.body).toString('utf8') },
    revision: await getRevision({ actor, id, number: '0' }),
    timeline: await getMessageTimeline({ actor, id }),
  };
}

async function expectAppError(promise: Promise<unknown>, code: AppError['code'], message?: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
}

const auditText = async () =>
  (await prisma().$queryRaw<{ row: string }[]>`SELECT row_to_json(a)::text AS row FROM audit_events a ORDER BY id`).map((r) => r.row).join('\n');

describe('reading a message', () => {
  it('never shows a viewer a masked value, and says what was masked', async () => {
    const { id } = await deadLetterPayment('read');
    const seen = await everythingReadBy(viewer, id);
    const text = JSON.stringify(seen);
    expect(text).not.toContain(CARD);
    expect(text).not.toContain('tok-s3cr3t');
    expect(seen.detail.redacted).toEqual({ paths: ['$.card.number'], headers: ['authorization'] });
    expect(JSON.parse(seen.detail.body.data)).toEqual({ order: 7, card: { number: '[redacted]', exp: '12/30' } });
    expect(seen.detail.headers.authorization).toEqual({ type: 'string', value: '[redacted]' });
    expect(seen.detail.headers['x-tenant']).toEqual({ type: 'string', value: TENANT });
    expect(seen.body.redacted).toBe(true);
    expect(seen.revision.redacted).toEqual({ paths: ['$.card.number'], headers: ['authorization'] });
    expect(seen.revision.headers.authorization).toBe('[redacted]');
    // The rest of the text is as it arrived: the indentation survives.
    expect(seen.body.body).toContain('\n  "order": 7,');
  });

  it('shows an auditor the stored bytes and headers in clear', async () => {
    const { id, row } = await deadLetterPayment('audit-read');
    const seen = await everythingReadBy(auditor, id);
    expect(JSON.stringify(seen.detail)).toContain(CARD);
    expect(seen.detail.redacted).toBeNull();
    expect(seen.detail.headers.authorization).toEqual({ type: 'string', value: TOKEN });
    expect(seen.body.redacted).toBe(false);
    expect(Buffer.from(seen.body.body)).toEqual(Buffer.from(row.body));
    expect(seen.body.body).toContain(CARD);
    expect(seen.revision.headers.authorization).toBe(TOKEN);
    expect(seen.revision.redacted).toBeNull();
  });
});

describe('editing', () => {
  it('is refused to an operator who would see masks, and changes nothing', async () => {
    const { id, row } = await deadLetterPayment('edit-refused');
    const audit = await prisma().auditEvent.count();
    await expectAppError(
      editMessage({ actor: operator, id, version: row.version, input: { version: row.version, body: { encoding: 'utf8', data: '{"card":{"number":"[redacted]"}}' }, headers: {}, reason: null } }),
      'FORBIDDEN', /masked by redaction rules.*messages:read-sensitive/,
    );
    expect(await prisma().messageRevision.count({ where: { messageId: row.id } })).toBe(0);
    expect(await prisma().auditEvent.count()).toBe(audit);
    expect((await prisma().message.findUniqueOrThrow({ where: { id: row.id } })).version).toBe(row.version);
  });

  it('records a changed masked header as a fingerprint only; a replay sends the real bytes', async () => {
    const { id, row, work } = await deadLetterPayment('edit');
    const body = JSON.stringify({ order: 8, card: { number: CARD, exp: '01/31' } });
    const headers = { authorization: NEW_TOKEN, 'x-tenant': 'tenant-b' };
    await editMessage({ actor: admin, id, version: row.version, input: { version: row.version, body: { encoding: 'utf8', data: body }, headers, reason: 'new token' } });

    const audit = await auditText();
    expect(audit).toContain('message.edited');
    expect(audit).not.toContain('tok-s3cr3t');
    expect(audit).not.toContain(CARD);
    const event = await prisma().auditEvent.findFirstOrThrow({ where: { messageId: row.id, action: 'message.edited' } });
    const values = (event.after as { headers: { values: Record<string, unknown> } }).headers.values;
    expect(values.authorization).toEqual({
      before: { redacted: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      after: { redacted: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(values['x-tenant']).toEqual({ before: { type: 'string', value: TENANT }, after: { type: 'string', value: 'tenant-b' } });

    // The viewer's timeline shows neither the values nor their fingerprints; revision 1 is masked too.
    const timeline = await getMessageTimeline({ actor: viewer, id });
    const edited = timeline.items.find((i) => i.kind === 'audit' && i.action === 'message.edited');
    expect(edited).toMatchObject({ redacted: true, after: { headers: { values: { authorization: { before: '[redacted]', after: '[redacted]' } } } } });
    expect(JSON.stringify(timeline)).not.toContain((values.authorization as { after: { sha256: string } }).after.sha256);
    const revision = await getRevision({ actor: viewer, id, number: '1' });
    expect(JSON.stringify(revision)).not.toContain('tok-s3cr3t');
    expect(JSON.stringify(revision)).not.toContain(CARD);
    expect((await getRevision({ actor: auditor, id, number: '1' })).headers.authorization).toBe(NEW_TOKEN);

    // Replay: the operator cannot read the values, but the broker gets them.
    const current = await prisma().message.findUniqueOrThrow({ where: { id: row.id } });
    await replayMessage({ actor: operator, id, version: current.version, input: { version: current.version } });
    const sent = await take(work);
    expect(sent.content.toString()).toBe(body);
    expect(sent.properties.headers).toMatchObject({ authorization: NEW_TOKEN, 'x-tenant': 'tenant-b' });
  });

  it('masks at read time what an event recorded before its rule existed', async () => {
    const { id, row } = await deadLetterPayment('late-rule');
    const body = Buffer.from(row.body).toString('utf8');
    await editMessage({ actor: admin, id, version: row.version, input: { version: row.version, body: { encoding: 'utf8', data: body }, headers: { authorization: TOKEN, 'x-tenant': 'tenant-late' }, reason: null } });
    expect(JSON.stringify(await getMessageTimeline({ actor: viewer, id }))).toContain('tenant-late');

    const rule = await createRedactionRule({ actor: admin, kind: 'header', pattern: 'X-Tenant' });
    try {
      const forViewer = JSON.stringify(await getMessageTimeline({ actor: viewer, id }));
      expect(forViewer).not.toContain('tenant-late');
      expect(forViewer).not.toContain(TENANT);
      expect(JSON.stringify(await getMessageTimeline({ actor: auditor, id }))).toContain('tenant-late');
    } finally {
      await deleteRedactionRule({ actor: admin, id: rule.id });
    }
    // No cache: the next read is in clear again.
    expect(JSON.stringify(await getMessageTimeline({ actor: viewer, id }))).toContain('tenant-late');
  });
});

describe('managing rules', () => {
  it('refuses invalid rules with a clear message and changes nothing', async () => {
    const before = { rules: await prisma().redactionRule.count(), audit: await prisma().auditEvent.count() };
    await expectAppError(createRedactionRule({ actor: admin, kind: 'json_path', pattern: '$.card number' }), 'INVALID_INPUT', /invalid JSON path "\$\.card number": unexpected " "/);
    await expectAppError(createRedactionRule({ actor: admin, kind: 'json_path', pattern: 'card.number' }), 'INVALID_INPUT', /starts with "\$"/);
    await expectAppError(createRedactionRule({ actor: admin, kind: 'header', pattern: 'x-a\nb' }), 'INVALID_INPUT', /control characters/);
    await expectAppError(createRedactionRule({ actor: admin, kind: 'header', pattern: 'x'.repeat(256) }), 'INVALID_INPUT', /at most 255/);
    await expectAppError(createRedactionRule({ actor: admin, kind: 'cookie' as 'header', pattern: 'a' }), 'INVALID_INPUT', /kind must be one of json_path, header/);
    await expectAppError(createRedactionRule({ actor: admin, kind: 'header', pattern: 'AUTHORIZATION' }), 'CONFLICT', /already exists/);
    await expectAppError(createRedactionRule({ actor: admin, kind: 'json_path', pattern: '$.card.number' }), 'CONFLICT', /already exists/);
    await expectAppError(createRedactionRule({ actor: operator, kind: 'header', pattern: 'x-key' }), 'FORBIDDEN');
    await expectAppError(createRedactionRule({ actor: auditor, kind: 'header', pattern: 'x-key' }), 'FORBIDDEN');
    await expectAppError(deleteRedactionRule({ actor: admin, id: 'not-a-uuid' }), 'NOT_FOUND');
    await expectAppError(deleteRedactionRule({ actor: admin, id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
    const rule = (await listRedactionRules({ actor: admin }))[0]!;
    await expectAppError(deleteRedactionRule({ actor: auditor, id: rule.id }), 'FORBIDDEN');
    expect({ rules: await prisma().redactionRule.count(), audit: await prisma().auditEvent.count() }).toEqual(before);
  });

  it('audits each change in the same transaction, and lists rules to admins and auditors only', async () => {
    const rule = await createRedactionRule({ actor: admin, kind: 'json_path', pattern: "$.items[*]['card no']" });
    expect(rule).toMatchObject({ kind: 'json_path', pattern: "$.items[*]['card no']", createdBy: 'user:admin@example.com' });
    expect((await listRedactionRules({ actor: auditor })).map((r) => r.pattern)).toEqual(['$.card.number', 'authorization', "$.items[*]['card no']"]);
    await expectAppError(listRedactionRules({ actor: viewer }), 'FORBIDDEN', /redaction:manage or audit:read/);
    await deleteRedactionRule({ actor: admin, id: rule.id });
    await expectAppError(deleteRedactionRule({ actor: admin, id: rule.id }), 'NOT_FOUND');
    const events = await prisma().auditEvent.findMany({ where: { subject: `redaction_rule:${rule.id}` }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.actor, e.before, e.after])).toEqual([
      ['redaction_rule.created', 'user:admin@example.com', null, { id: rule.id, kind: 'json_path', pattern: "$.items[*]['card no']" }],
      ['redaction_rule.deleted', 'user:admin@example.com', { id: rule.id, kind: 'json_path', pattern: "$.items[*]['card no']" }, null],
    ]);
  });

  it('works from the CLI; bad patterns exit 2 before anything connects', { timeout: 240_000 }, async () => {
    const bad = await runCli(db.url, ['redaction', 'add', '--json-path', '$.a[']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid JSON path/);
    const both = await runCli(db.url, ['redaction', 'add', '--json-path', '$.a', '--header', 'b']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --json-path or --header/);

    const added = await runCli(db.url, ['redaction', 'add', '--header', 'X-Api-Key']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Added header rule x-api-key \(id [0-9a-f-]{36}\)/);
    const list = await runCli(db.url, ['redaction', 'list']);
    expect(list.stdout).toMatch(/ID\s+KIND\s+PATTERN\s+CREATED BY\s+CREATED/);
    expect(list.stdout).toMatch(/header\s+x-api-key\s+system:cli/);
    const id = /\(id ([0-9a-f-]{36})\)/.exec(added.stdout)![1]!;
    const removed = await runCli(db.url, ['redaction', 'remove', id]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/Removed header rule x-api-key/);
    expect(await prisma().redactionRule.count({ where: { pattern: 'x-api-key' } })).toBe(0);
  });
});
