import { hostname, userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { runCli } from '../testing/run-cli';
import { createTestDatabase } from '../testing/test-database';
import { canonicalAuditEvent } from './audit-canonical';
import type { TAuditChainVerification } from './audit-integrity-dto';
import { getAuditChainHead } from './get-audit-chain-head';
import { getAuditIntegrity } from './get-audit-integrity';
import { recordAuditEvent, type TAuditEventInput } from './record-audit-event';
import { recordAuditVerification } from './record-audit-verification';
import { verifyAuditChain } from './verify-audit-chain';

// The hash chain against the real database: the triggers refuse changes, concurrent
// writers chain in commit order, and every kind of tampering a superuser can do with the
// triggers off is reported at the right event. Each tampering test puts the row back as it
// was and checks the chain is whole again, so the tests do not depend on each other.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('audit_chain'); });
afterAll(async () => db?.drop());

const SYSTEM: TActor = { kind: 'system', name: 'cli' };
const AUDITOR: TActor = { kind: 'user', id: 'u-auditor', email: 'aud@example.com', role: 'auditor' };
const OPERATOR: TActor = { kind: 'user', id: 'u-op', email: 'op@example.com', role: 'operator' };

const event = (n: number, extra: Partial<TAuditEventInput> = {}): TAuditEventInput => ({ actor: `user:w${n}@example.com`, action: 'source.added', subject: `source:q${n}`, ...extra });
const append = (e: TAuditEventInput) => prisma().$transaction((tx) => recordAuditEvent(tx, e));
const verify = (batchSize?: number) => verifyAuditChain({ actor: SYSTEM, batchSize });

async function ids(): Promise<bigint[]> {
  return (await prisma().auditEvent.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id);
}

/** Runs statements as the superuser would, with the append-only and chain triggers off. */
async function tamper(statements: (tx: Prisma.TransactionClient) => Promise<unknown>) {
  await prisma().$transaction(async (tx) => {
    await tx.$executeRaw`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`;
    await tx.$executeRaw`ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain`;
    await tx.$executeRaw`ALTER TABLE audit_chain_head DISABLE TRIGGER audit_chain_head_guard`;
    await statements(tx);
    await tx.$executeRaw`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`;
    await tx.$executeRaw`ALTER TABLE audit_events ENABLE TRIGGER audit_events_chain`;
    await tx.$executeRaw`ALTER TABLE audit_chain_head ENABLE TRIGGER audit_chain_head_guard`;
  });
}

/** A copy of a row, every column, to put back after a test removed or changed it. */
async function snapshotRow(id: bigint) {
  // A plain table: the pool may hand each statement a different session.
  await prisma().$executeRaw`CREATE TABLE IF NOT EXISTS saved_events AS SELECT * FROM audit_events WITH NO DATA`;
  await prisma().$executeRaw`DELETE FROM saved_events`;
  await prisma().$executeRaw`INSERT INTO saved_events SELECT * FROM audit_events WHERE id = ${id}`;
  return async () => tamper(async (tx) => {
    await tx.$executeRaw`DELETE FROM audit_events WHERE id = ${id}`;
    await tx.$executeRaw`INSERT INTO audit_events SELECT * FROM saved_events`;
  });
}

async function expectIntact(): Promise<Extract<TAuditChainVerification, { ok: true }>> {
  const result = await verify();
  expect(result).toMatchObject({ ok: true });
  return result as Extract<TAuditChainVerification, { ok: true }>;
}

async function expectSqlError(run: () => Promise<unknown>, pattern: RegExp) {
  await expect(run()).rejects.toThrow(pattern);
}

describe('the database refuses changes to the record', () => {
  beforeAll(async () => {
    await append(event(0));
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_events', async () => {
    await expectSqlError(() => prisma().$executeRaw`UPDATE audit_events SET reason = 'rewritten'`, /append-only: UPDATE refused/);
    await expectSqlError(() => prisma().$executeRaw`DELETE FROM audit_events`, /append-only: DELETE refused/);
    await expectSqlError(() => prisma().$executeRaw`TRUNCATE audit_events`, /append-only: TRUNCATE refused/);
    expect((await ids()).length).toBeGreaterThan(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_chain_head outside the chain trigger', async () => {
    const head = await getAuditChainHead({ actor: SYSTEM });
    await expectSqlError(() => prisma().$executeRaw`UPDATE audit_chain_head SET events = 0`, /audit_chain_head moves only when an audit event is appended: UPDATE refused/);
    await expectSqlError(() => prisma().$executeRaw`DELETE FROM audit_chain_head`, /DELETE refused/);
    await expectSqlError(() => prisma().$executeRaw`TRUNCATE audit_chain_head`, /TRUNCATE refused/);
    expect(await getAuditChainHead({ actor: SYSTEM })).toEqual(head);
  });

  it('sets prev_hash and hash itself, whatever the writer sends', async () => {
    await prisma().auditEvent.create({ data: { ...event(1), prevHash: Buffer.alloc(32, 7), hash: Buffer.alloc(32, 9) } });
    await expectIntact();
  });
});

describe('concurrent writers', () => {
  let committed = 0;
  beforeAll(async () => {
    const before = (await ids()).length;
    // 300 transactions at once through the pool; one in seven records its event and then fails.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) =>
        prisma().$transaction(async (tx) => {
          await recordAuditEvent(tx, event(i, { reason: i % 5 === 0 ? `zoë → ${i} 😀` : null, after: { n: i, nested: { é: [i, null, 'x\ny'] } } }));
          if (i % 7 === 0) throw new Error('rolled back on purpose');
        }, { maxWait: 60_000 }), // writers queue for the pool and for the head's lock

      ),
    );
    const unexpected = outcomes.flatMap((o) => (o.status === 'rejected' && !/on purpose/.test(String(o.reason)) ? [String(o.reason)] : []));
    expect(unexpected).toEqual([]);
    committed = before + outcomes.filter((o) => o.status === 'fulfilled').length;
  });

  it('chains every committed event, and only those', async () => {
    const result = await expectIntact();
    expect(result.checked).toBe(committed);
    expect((await ids()).length).toBe(committed);
    const head = await getAuditChainHead({ actor: SYSTEM });
    expect(head).toMatchObject({ events: committed, lastId: result.headId, lastHash: result.headHash });
  });

  it('follows the links from the genesis hash in ascending id order, through every event', async () => {
    const rows = await prisma().auditEvent.findMany({ select: { id: true, prevHash: true, hash: true } });
    const byPrev = new Map(rows.map((r) => [Buffer.from(r.prevHash).toString('hex'), r]));
    expect(byPrev.size).toBe(rows.length); // no two events claim the same predecessor: no fork
    const walked: bigint[] = [];
    for (let link = '00'.repeat(32), next = byPrev.get(link); next; next = byPrev.get(link)) {
      walked.push(next.id);
      link = Buffer.from(next.hash).toString('hex');
    }
    expect(walked).toEqual(await ids());
  });

  it('gives the same answer in small batches, reporting progress per batch', async () => {
    const progress: number[] = [];
    const small = await verifyAuditChain({ actor: SYSTEM, batchSize: 7, onProgress: ({ checked }) => progress.push(checked) });
    expect(small).toEqual(await verify());
    expect(progress.length).toBe(Math.ceil(committed / 7));
    expect(progress.at(-1)).toBe(committed);
  });

  it('writes the same canonical form in Node as the SQL function, for every event', async () => {
    await append(event(1, { reason: '', messageId: 9007199254740993n, target: 'queue ü', result: '-', before: { s: '\u0001\\"', big: 12345678901234567890, f: 1.5e-7 }, after: [] }));
    const rows = await prisma().$queryRaw<{ id: bigint; at: Date; actor: string; action: string; subject: string | null; reason: string | null; before: string | null; after: string | null; message_id: bigint | null; request_id: string | null; target: string | null; result: string | null; source_queue: string | null; origin_queue: string | null; outcome: string | null; sql: string }[]>`
      SELECT id, at, actor, action, subject, reason, before::text AS before, after::text AS after, message_id, request_id, target, result,
             source_queue, origin_queue, outcome, audit_event_canonical(e) AS sql FROM audit_events e ORDER BY id`;
    for (const r of rows) {
      const node = canonicalAuditEvent({ ...r, messageId: r.message_id, requestId: r.request_id, sourceQueue: r.source_queue, originQueue: r.origin_queue });
      expect(node, `event ${r.id}`).toBe(r.sql);
    }
    await expectIntact();
  });

  it('lets only an actor with audit:verify verify, and audit:read read the head', async () => {
    await expect(verifyAuditChain({ actor: OPERATOR })).rejects.toThrow(/audit:verify/);
    await expect(recordAuditVerification({ actor: OPERATOR })).rejects.toThrow(/audit:verify/);
    await expect(getAuditChainHead({ actor: OPERATOR })).rejects.toThrow(/audit:read/);
    await expect(verifyAuditChain({ actor: AUDITOR })).resolves.toMatchObject({ ok: true });
  });
});

describe('tampering with the triggers off', () => {
  async function middleId(): Promise<bigint> {
    const all = await ids();
    return all[Math.floor(all.length / 2)]!;
  }

  it('reports an altered reason as hash_mismatch at exactly that event', async () => {
    const id = await middleId();
    const restore = await snapshotRow(id);
    await tamper((tx) => tx.$executeRaw`UPDATE audit_events SET reason = 'nothing to see' WHERE id = ${id}`);
    const result = await verify(11);
    expect(result).toMatchObject({ ok: false, kind: 'hash_mismatch', brokenAt: id.toString() });
    const all = await ids();
    expect(result.checked).toBe(all.indexOf(id));
    const stored = await prisma().auditEvent.findUniqueOrThrow({ where: { id } });
    expect(result.ok === false && result.actual).toBe(Buffer.from(stored.hash).toString('hex'));
    await restore();
    await expectIntact();
  });

  it('reports an altered after (jsonb) as hash_mismatch at exactly that event', async () => {
    const all = await ids();
    const id = all[all.indexOf(await middleId()) + 1]!;
    const restore = await snapshotRow(id);
    await tamper((tx) => tx.$executeRaw`UPDATE audit_events SET after = '{"n": -1}' WHERE id = ${id}`);
    expect(await verify()).toMatchObject({ ok: false, kind: 'hash_mismatch', brokenAt: id.toString() });
    await restore();
    await expectIntact();
  });

  it('reports a deleted middle event as link_mismatch at the next one', async () => {
    const all = await ids();
    const id = all[40]!;
    const restore = await snapshotRow(id);
    await tamper((tx) => tx.$executeRaw`DELETE FROM audit_events WHERE id = ${id}`);
    const result = await verify(40); // the gap falls on a batch boundary
    expect(result).toMatchObject({ ok: false, kind: 'link_mismatch', brokenAt: all[41]!.toString(), checked: 40 });
    await restore();
    await expectIntact();
  });

  it('reports a deleted last event as head_mismatch', async () => {
    const all = await ids();
    const last = all.at(-1)!;
    const restore = await snapshotRow(last);
    await tamper((tx) => tx.$executeRaw`DELETE FROM audit_events WHERE id = ${last}`);
    const result = await verify();
    expect(result).toMatchObject({ ok: false, kind: 'head_mismatch', brokenAt: last.toString(), checked: all.length - 1 });
    await restore();
    await expectIntact();
  });

  it('reports a forged event whose hash was recomputed by the SQL function at its successor', async () => {
    const all = await ids();
    const id = all[100]!;
    const restore = await snapshotRow(id);
    await tamper(async (tx) => {
      await tx.$executeRaw`UPDATE audit_events SET actor = 'user:someone-else@example.com' WHERE id = ${id}`;
      await tx.$executeRaw`UPDATE audit_events e SET hash = sha256(e.prev_hash || convert_to(audit_event_canonical(e), 'UTF8')) WHERE id = ${id}`;
    });
    expect(await verify()).toMatchObject({ ok: false, kind: 'link_mismatch', brokenAt: all[101]!.toString(), checked: 101 });
    await restore();
    await expectIntact();
  });

  it('reports an event slipped in at the end, past the head, as head_mismatch', async () => {
    await tamper((tx) => tx.$executeRaw`
      INSERT INTO audit_events (id, actor, action, prev_hash, hash)
      SELECT last_id + 1000, 'user:ghost', 'source.added', last_hash, '\\x00' FROM audit_chain_head`);
    // Hashed as the trigger would have: only the head, which did not move, gives it away.
    await tamper((tx) => tx.$executeRaw`UPDATE audit_events e SET hash = sha256(e.prev_hash || convert_to(audit_event_canonical(e), 'UTF8')) WHERE actor = 'user:ghost'`);
    const result = await verify();
    expect(result).toMatchObject({ ok: false, kind: 'head_mismatch' });
    await tamper((tx) => tx.$executeRaw`DELETE FROM audit_events WHERE actor = 'user:ghost'`);
    await expectIntact();
  });

  it('reports a head whose event count disagrees with the record', async () => {
    const head = await getAuditChainHead({ actor: SYSTEM });
    await tamper((tx) => tx.$executeRaw`UPDATE audit_chain_head SET events = events + 1`);
    expect(await verify()).toMatchObject({ ok: false, kind: 'head_mismatch', detail: expect.stringMatching(/counts/) });
    await tamper((tx) => tx.$executeRaw`UPDATE audit_chain_head SET events = ${BigInt(head.events)}`);
    await expectIntact();
  });
});

describe('recording a verification', () => {
  it('appends audit.verified with who ran it and the result, and the status reads it back', async () => {
    const head = await getAuditChainHead({ actor: AUDITOR });
    const record = await recordAuditVerification({ actor: AUDITOR });
    expect(record.verification).toEqual({ ok: true, checked: head.events, headId: head.lastId, headHash: head.lastHash });
    const stored = await prisma().auditEvent.findUniqueOrThrow({ where: { id: BigInt(record.eventId) } });
    expect(stored).toMatchObject({ action: 'audit.verified', actor: 'user:aud@example.com', outcome: 'succeeded', after: record.verification });
    // The verification is itself the new head, chained like any other event.
    expect(await getAuditChainHead({ actor: AUDITOR })).toMatchObject({ lastId: record.eventId, events: head.events + 1 });
    expect(await getAuditIntegrity({ actor: AUDITOR })).toEqual({ head: await getAuditChainHead({ actor: AUDITOR }), lastVerification: record });
    await expectIntact();
  });

  it('records a broken chain as a failed verification naming the event', async () => {
    const all = await ids();
    const id = all[5]!;
    const restore = await snapshotRow(id);
    await tamper((tx) => tx.$executeRaw`UPDATE audit_events SET subject = 'source:elsewhere' WHERE id = ${id}`);
    const record = await recordAuditVerification({ actor: SYSTEM });
    expect(record.verification).toMatchObject({ ok: false, kind: 'hash_mismatch', brokenAt: id.toString(), checked: 5 });
    expect(await prisma().auditEvent.findUniqueOrThrow({ where: { id: BigInt(record.eventId) } })).toMatchObject({
      outcome: 'failed', result: `broken at event ${id}: hash_mismatch`, actor: 'system:cli',
    });
    expect((await getAuditIntegrity({ actor: AUDITOR })).lastVerification).toEqual(record);
    await restore();
    await expectIntact();
  });

  it('still reports what it found when the result cannot be recorded (the head row was deleted)', async () => {
    const head = await getAuditChainHead({ actor: SYSTEM });
    await tamper((tx) => tx.$executeRaw`DELETE FROM audit_chain_head`);
    await expect(recordAuditVerification({ actor: SYSTEM })).rejects.toThrow(/^broken at event \d+: head_mismatch; the result could not be recorded: .*audit_chain_head is missing/s);
    await expect(getAuditChainHead({ actor: SYSTEM })).rejects.toThrow(/audit_chain_head has no row/);
    await tamper((tx) => tx.$executeRaw`INSERT INTO audit_chain_head VALUES (true, ${BigInt(head.lastId!)}, ${Buffer.from(head.lastHash, 'hex')}, ${BigInt(head.events)})`);
    await expectIntact();
  });
});

describe('the CLI', { timeout: 120_000 }, () => {
  const CLI_LABEL = `system:cli (${userInfo().username}@${hostname()})`;
  const cli = (args: string[]) => runCli(db.url, args);

  it('audit head --json prints the head as one JSON object, to anchor elsewhere', async () => {
    const run = await cli(['audit', 'head', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toEqual({ ...(await getAuditChainHead({ actor: SYSTEM })), readAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(Object.keys(printed)).toEqual(['lastId', 'lastHash', 'events', 'readAt']);
  });

  it('audit head prints id, hash and count for a person', async () => {
    const run = await cli(['audit', 'head']);
    const head = await getAuditChainHead({ actor: SYSTEM });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`last event  ${head.lastId}`);
    expect(run.stdout).toContain(`hash        ${head.lastHash}`);
    expect(run.stdout).toContain(`events      ${head.events}`);
  });

  it('audit verify exits 0 on an intact chain and records who ran it', async () => {
    const head = await getAuditChainHead({ actor: SYSTEM });
    const run = await cli(['audit', 'verify', '--batch-size', '50']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`intact: ${head.events} events, head event ${head.lastId} ${head.lastHash}`);
    const eventId = /recorded as audit event (\d+)/.exec(run.stdout)?.[1];
    expect(await prisma().auditEvent.findUniqueOrThrow({ where: { id: BigInt(eventId!) } })).toMatchObject({
      action: 'audit.verified', actor: CLI_LABEL, outcome: 'succeeded', after: { ok: true, checked: head.events },
    });
  });

  it('audit verify exits 1 naming the first broken event and its kind', async () => {
    const all = await ids();
    const id = all[77]!;
    const restore = await snapshotRow(id);
    await tamper((tx) => tx.$executeRaw`UPDATE audit_events SET after = '{"n": 0}' WHERE id = ${id}`);
    const run = await cli(['audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: broken at event ${id}: hash_mismatch`);
    expect(run.stdout).toContain(`BROKEN at event ${id}: hash_mismatch`);
    expect(run.stdout).toContain('77 events intact before it');
    const last = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'audit.verified' }, orderBy: { id: 'desc' } });
    expect(last).toMatchObject({ actor: CLI_LABEL, outcome: 'failed', after: { ok: false, brokenAt: id.toString(), kind: 'hash_mismatch' } });
    await restore();
    await expectIntact();
  });

  it('rejects unknown or malformed flags with exit 2 and records nothing', async () => {
    const before = await prisma().auditEvent.count();
    const cases = [
      [['audit', 'verify', '--fast'], /--fast/],
      [['audit', 'verify', '--batch-size', '0'], /--batch-size must be a positive whole number/],
      [['audit', 'verify', 'now'], /unexpected argument "now"/],
      [['audit', 'head', '--json=yes'], /--json/],
      [['audit', 'head', '--json', '--json'], /--json is given more than once/],
      [['audit', 'anchor'], /"audit" takes one of: verify, head/],
    ] as const;
    const runs = await Promise.all(cases.map(([args]) => cli([...args])));
    runs.forEach((run, i) => {
      expect(run.code, cases[i]![0].join(' ')).toBe(2);
      expect(run.stderr).toMatch(cases[i]![1]);
    });
    expect(await prisma().auditEvent.count()).toBe(before);
  });
});

describe('REPEATABLE READ writers', () => {
  const RR = { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, maxWait: 30_000, timeout: 30_000 };
  const SERIALIZATION = /write conflict|could not serialize/i;

  function deferred() {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('fails a writer whose snapshot predates another writer’s commit instead of forking', async () => {
    const snapshot = deferred();
    const gate = deferred();
    const late = prisma().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT count(*) FROM audit_events`; // takes the snapshot
      snapshot.resolve();
      await gate.promise;
      await recordAuditEvent(tx, event(1, { subject: 'rr:late' }));
    }, RR);
    await snapshot.promise;
    await append(event(2, { subject: 'rc:first' }));
    gate.resolve();
    await expect(late).rejects.toThrow(SERIALIZATION);
    expect(await prisma().auditEvent.count({ where: { subject: { in: ['rr:late', 'rc:first'] } } })).toBe(1);
    await expectIntact();
  });

  it('fails a writer that waited for the head while another appended, instead of forking', async () => {
    const snapshot = deferred();
    const holding = deferred();
    const release = deferred();
    const late = prisma().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT count(*) FROM audit_events`;
      snapshot.resolve();
      await holding.promise;
      await recordAuditEvent(tx, event(3, { subject: 'rr:waiting' })); // blocks on the head's lock
    }, RR);
    // It fails as soon as the holder commits, which may be before `await first` returns: handled from now on.
    const lateFailure = late.then(() => new Error('the waiting writer committed'), (error: unknown) => error);
    await snapshot.promise;
    const first = prisma().$transaction(async (tx) => {
      await recordAuditEvent(tx, event(4, { subject: 'rc:holding' }));
      holding.resolve();
      await release.promise;
    }, { timeout: 30_000 });
    await holding.promise;
    await new Promise((r) => setTimeout(r, 200)); // let the REPEATABLE READ writer reach the lock
    release.resolve();
    await first;
    expect(await lateFailure).toMatchObject({ message: expect.stringMatching(SERIALIZATION) });
    await expectIntact();
  });

  it('under many mixed writers, every commit is chained once and nothing forks', async () => {
    const before = (await ids()).length;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        i % 2 === 0
          ? prisma().$transaction(async (tx) => {
              await tx.$queryRaw`SELECT count(*) FROM audit_events`;
              await recordAuditEvent(tx, event(i, { subject: `mixed:${i}` }));
            }, RR)
          : prisma().$transaction((tx) => recordAuditEvent(tx, event(i, { subject: `mixed:${i}` })), { maxWait: 30_000 }),
      ),
    );
    const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ i, error: String(o.reason) }] : []));
    expect(failures.filter((f) => f.i % 2 === 1)).toEqual([]); // READ COMMITTED writers wait and chain
    expect(failures.every((f) => SERIALIZATION.test(f.error))).toBe(true);
    const result = await expectIntact();
    expect(result.checked).toBe(before + 60 - failures.length);
  });
});
