import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TTypedTable } from '../ingest/typed-headers';
import { createRedactor } from './create-redactor';

const SECRET = '4111111111111111';
const redactor = createRedactor([
  { kind: 'json_path', pattern: '$.card.number' },
  { kind: 'header', pattern: 'authorization' },
]);
const json = Buffer.from(JSON.stringify({ card: { number: SECRET, exp: '12/30' } }));

describe('redactBody', () => {
  it('masks JSON whatever the content type says', () => {
    for (const type of ['application/json', 'text/plain', null]) {
      const result = redactor.redactBody(json, type, null);
      expect(result.redacted).toBe(true);
      expect(result.paths).toEqual(['$.card.number']);
      expect(JSON.parse(result.bytes.toString())).toEqual({ card: { number: '[redacted]', exp: '12/30' } });
    }
  });

  it('masks inside a gzip body and sends gzip back', () => {
    const result = redactor.redactBody(gzipSync(json), 'application/json', 'gzip');
    expect(result.redacted).toBe(true);
    expect(gunzipSync(result.bytes).toString()).not.toContain(SECRET);
  });

  it('keeps a byte order mark', () => {
    const result = redactor.redactBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]), 'application/json', null);
    expect(result.redacted).toBe(true);
    expect([...result.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('returns the same bytes when nothing matched or the body is not JSON', () => {
    const cases: [Buffer, string | null][] = [
      [Buffer.from('{"card":{}}'), null],
      [Buffer.from(`card.number=${SECRET}`), 'text/plain'],
      [Buffer.from([0xff, 0xfe, 0x00, 0x7b]), 'application/json'],
      [Buffer.from('{"card":{"number":1}'), 'application/json'],
      [Buffer.from('"{\\"card\\":1}"'), 'application/json'],
    ];
    for (const [bytes, type] of cases) {
      const result = redactor.redactBody(bytes, type, null);
      expect(result).toEqual({ bytes, redacted: false, paths: [] });
    }
  });

  it('returns bodies it cannot inflate or that use another encoding as they are', () => {
    expect(redactor.redactBody(json, 'application/json', 'gzip').redacted).toBe(false);
    expect(redactor.redactBody(json, 'application/json', 'br').redacted).toBe(false);
    expect(redactor.redactBody(json, 'application/json', 'identity').redacted).toBe(true);
  });

  it('does nothing without JSON path rules', () => {
    expect(createRedactor([{ kind: 'header', pattern: 'authorization' }]).redactBody(json, null, null).redacted).toBe(false);
  });
});

describe('redactHeaders', () => {
  // As stored headers arrive from jsonb: "__proto__" is an own key, plain data.
  const headers = JSON.parse(JSON.stringify({
    Authorization: { type: 'string', value: `Bearer ${SECRET}` },
    'x-tenant': { type: 'string', value: 'acme' },
  }).replace('{', '{"__proto__":{"type":"number","value":1},')) as TTypedTable;

  it('masks matching names in any case, as a string', () => {
    const result = redactor.redactHeaders(headers);
    expect(result.redacted).toEqual(['Authorization']);
    expect(result.headers.Authorization).toEqual({ type: 'string', value: '[redacted]' });
    expect(result.headers['x-tenant']).toEqual(headers['x-tenant']);
    expect(Object.keys(result.headers)).toEqual(['__proto__', 'Authorization', 'x-tenant']);
    expect(Object.getPrototypeOf(result.headers)).toBe(Object.prototype);
    expect(JSON.stringify(result.headers)).not.toContain(SECRET);
  });

  it('masks any value type and leaves tables without a match untouched', () => {
    const typed: TTypedTable = { AUTHORIZATION: { type: 'bytes', base64: 'AAAA' } };
    expect(redactor.redactHeaders(typed).headers.AUTHORIZATION).toEqual({ type: 'string', value: '[redacted]' });
    const plain: TTypedTable = { a: { type: 'void' } };
    expect(redactor.redactHeaders(plain)).toEqual({ headers: plain, redacted: [] });
  });
});

describe('redactAuditEvent', () => {
  it('masks header values and fingerprints of masked headers in an edit diff', () => {
    const after = {
      revision: 1,
      headers: {
        added: [], removed: [], changed: ['authorization', 'x-tenant'],
        values: {
          authorization: { before: { redacted: true, sha256: 'ab' }, after: { type: 'string', value: SECRET } },
          'x-tenant': { before: { type: 'string', value: 'a' }, after: { type: 'string', value: 'b' } },
        },
      },
    };
    const result = redactor.redactAuditEvent({ before: { revision: 0 }, after });
    expect(result.redacted).toBe(true);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain('"ab"');
    expect(result.after).toMatchObject({ revision: 1, headers: { values: { authorization: { before: '[redacted]', after: '[redacted]' }, 'x-tenant': after.headers.values['x-tenant'] } } });
  });

  it('masks body fields recorded in an event', () => {
    const result = redactor.redactAuditEvent({ before: { body: { card: { number: SECRET } } }, after: null, id: 'x' });
    expect(result).toEqual({ before: { body: { card: { number: '[redacted]' } } }, after: null, id: 'x', redacted: true });
  });

  it('leaves other events as they are', () => {
    const event = { before: { status: 'new' }, after: { status: 'edited', headers: { added: ['a'], removed: [], changed: [] } } };
    const result = redactor.redactAuditEvent(event);
    expect(result).toEqual({ ...event, redacted: false });
    expect(result.after).toBe(event.after);
  });
});
