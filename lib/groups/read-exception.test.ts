import { describe, expect, it } from 'vitest';
import { MAX_EXCEPTION_MESSAGE, MAX_EXCEPTION_TYPE, normaliseExceptionMessage, normaliseExceptionType } from './normalise-exception';
import { parseTypeLine, readException, typeFromStackTrace } from './read-exception';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('reading exception text from producer headers', () => {
  it('parses a stack trace header whose type has many $ parts in linear time', () => {
    const hostile = 'a' + '$a'.repeat(40) + '!';
    const { ms } = timed(() => {
      parseTypeLine(hostile);
      typeFromStackTrace(`${hostile}\nCaused by: ${hostile}`);
      readException({ headers: { 'x-exception-stacktrace': { type: 'string', value: hostile } } });
    });
    expect(ms).toBeLessThan(100);
  });

  it('stays linear on long hostile lines of every shape', () => {
    const lines = ['a.'.repeat(20_000) + '!', 'a+'.repeat(20_000), 'a`1.'.repeat(10_000) + '!', '$'.repeat(40_000) + '!', 'a'.repeat(40_000) + '['];
    const { ms } = timed(() => lines.forEach((l) => parseTypeLine(l)));
    expect(ms).toBeLessThan(100);
  });

  it('still reads the types it read before', () => {
    expect(parseTypeLine('com.acme.Outer$InnerException: it broke')).toEqual({ type: 'com.acme.Outer$InnerException', message: 'it broke' });
    expect(parseTypeLine('System.Collections.Generic.KeyNotFoundException: key')).toEqual({ type: 'System.Collections.Generic.KeyNotFoundException', message: 'key' });
    expect(parseTypeLine('Acme.Handlers+OrderHandler`1[System.String]: x')?.type).toBe('Acme.Handlers+OrderHandler`1[System.String]');
    expect(parseTypeLine('Acme.Outer+InnerError')).toEqual({ type: 'Acme.Outer+InnerError', message: null });
    expect(parseTypeLine('just words here')).toBeNull();
  });

  it('normalises hostile messages quickly', () => {
    const inputs = ['a.'.repeat(5000), 'a@'.repeat(5000), 'a-'.repeat(5000) + '1', '"'.repeat(5000), 'a1'.repeat(5000), '1.'.repeat(5000), '1,'.repeat(5000)];
    const { ms } = timed(() => inputs.forEach((i) => normaliseExceptionMessage(i)));
    expect(ms).toBeLessThan(100);
  });

  it('never cuts a surrogate pair in half', () => {
    const emoji = '😀';
    for (let pad = 0; pad < 4; pad++) {
      const message = normaliseExceptionMessage('x'.repeat(MAX_EXCEPTION_MESSAGE - 2 - pad) + emoji.repeat(400))!;
      expect(message).not.toMatch(LONE_SURROGATE);
      expect(JSON.stringify(message)).not.toMatch(/\\ud8/);
      const type = normaliseExceptionType('T'.repeat(MAX_EXCEPTION_TYPE - 1 - pad) + emoji.repeat(10))!;
      expect(type).not.toMatch(LONE_SURROGATE);
      expect(type.length).toBeLessThanOrEqual(MAX_EXCEPTION_TYPE);
    }
    // Text that arrives with a lone surrogate is made well-formed too.
    const read = readException({ headers: { 'x-exception-message': { type: 'string', value: 'bad \ud83d here' } } });
    expect(read?.message).toBe('bad \ufffd here');
    expect(normaliseExceptionMessage('bad \ud83d')).toBe('bad \ufffd');
  });
});
