import { describe, expect, it } from 'vitest';
import { activeFilters, confirmLabel, describeTarget, formatEta, formatRate, parseJsonPatch, progressPercent, secondsUntil } from './use-jobs';

describe('formatEta', () => {
  it('says how long in the two largest units', () => {
    expect(formatEta(0)).toBe('0s');
    expect(formatEta(59.4)).toBe('59s');
    expect(formatEta(75)).toBe('1m 15s');
    expect(formatEta(3700)).toBe('1h 1m');
    expect(formatEta(3 * 86_400 + 7200)).toBe('3d 2h');
  });
  it('shows a dash when there is no estimate', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(undefined)).toBe('—');
    expect(formatEta(-1)).toBe('—');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatRate', () => {
  it('keeps the digits that matter', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.04)).toBe('0.04/s');
    expect(formatRate(12.345)).toBe('12.3/s');
    expect(formatRate(1234.5)).toBe('1,235/s');
    expect(formatRate(null)).toBe('—');
  });
});

describe('progressPercent', () => {
  it('counts done and failed as settled and never rounds up to 100', () => {
    expect(progressPercent({ done: 40, failed: 10, total: 100 })).toBe(50);
    expect(progressPercent({ done: 999, failed: 0, total: 1000 })).toBe(99);
    expect(progressPercent({ done: 5, failed: 0, total: 5 })).toBe(100);
    expect(progressPercent({ done: 0, failed: 0, total: 0 })).toBe(0);
  });
});

describe('secondsUntil', () => {
  it('counts down to an instant and stops at zero', () => {
    const now = Date.parse('2026-11-29T12:00:00.000Z');
    expect(secondsUntil('2026-11-29T12:00:02.500Z', now)).toBe(3);
    expect(secondsUntil('2026-11-29T11:59:00.000Z', now)).toBe(0);
    expect(secondsUntil(null, now)).toBeNull();
    expect(secondsUntil('not a date', now)).toBeNull();
  });
});

describe('parseJsonPatch', () => {
  it('takes an empty box as no patch', () => {
    expect(parseJsonPatch('  ')).toEqual({ ok: true, ops: undefined });
  });
  it('accepts RFC 6902 operations', () => {
    const check = parseJsonPatch('[{"op":"replace","path":"/a","value":1},{"op":"remove","path":"/b"},{"op":"move","from":"/c","path":"/d"}]');
    expect(check.ok && check.ops?.length).toBe(3);
  });
  it.each([
    ['{', 'Not valid JSON'],
    ['{"op":"add"}', 'array of operations'],
    ['[]', 'no operations'],
    ['[1]', 'Operation 1 is not an object'],
    ['[{"op":"merge","path":"/a"}]', '"op" must be one of'],
    ['[{"op":"remove","path":"a"}]', 'JSON pointer'],
    ['[{"op":"replace","path":"/a"}]', 'needs a "value"'],
    ['[{"op":"remove","path":"/a"},{"op":"copy","path":"/b"}]', 'Operation 2: "copy" needs a "from"'],
  ])('refuses %s', (text, message) => {
    const check = parseJsonPatch(text);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error).toContain(message);
  });
});

describe('activeFilters', () => {
  it('drops the empty filters', () => {
    expect(activeFilters({ source: 'orders.dlq', status: '', group: 'g1', q: undefined as unknown as string })).toEqual({ source: 'orders.dlq', group: 'g1' });
  });
});

describe('describeTarget', () => {
  it('names queues, exchanges and teams as the console does', () => {
    expect(describeTarget({ queue: 'billing-in' })).toBe('queue billing-in');
    expect(describeTarget({ exchange: 'billing', routingKey: 'invoice.created' })).toBe('exchange billing / key invoice.created');
    expect(describeTarget({ exchange: '', routingKey: 'orders' })).toBe('queue orders');
    expect(describeTarget({ team: 'payments' })).toBe('team payments');
    expect(describeTarget('queue orders')).toBe('queue orders');
    expect(describeTarget(null)).toBe('—');
  });
});

describe('confirmLabel', () => {
  it('states the exact count', () => {
    expect(confirmLabel('replay', 5000)).toBe('Replay 5,000 messages');
    expect(confirmLabel('discard', 1)).toBe('Discard 1 message');
  });
});
