import { describe, expect, it } from 'vitest';
import { evaluateCondition, nextTransition } from './evaluate-condition';

describe('evaluateCondition', () => {
  it('above: breached only strictly over the threshold', () => {
    expect(evaluateCondition({ comparison: 'above', threshold: 10, minValue: 0, value: 10, baseline: null })).toEqual({ breached: false, limit: 10 });
    expect(evaluateCondition({ comparison: 'above', threshold: 10, minValue: 0, value: 10.5, baseline: null })).toEqual({ breached: true, limit: 10 });
  });

  it('baseline: over threshold × baseline and at least minValue', () => {
    expect(evaluateCondition({ comparison: 'baseline', threshold: 3, minValue: 5, value: 7, baseline: 2 })).toEqual({ breached: true, limit: 6 });
    expect(evaluateCondition({ comparison: 'baseline', threshold: 3, minValue: 5, value: 6, baseline: 2 })).toEqual({ breached: false, limit: 6 });
    // A quiet queue (baseline 0) does not fire below minValue.
    expect(evaluateCondition({ comparison: 'baseline', threshold: 3, minValue: 5, value: 4, baseline: 0 })).toEqual({ breached: false, limit: 0 });
    expect(evaluateCondition({ comparison: 'baseline', threshold: 3, minValue: 5, value: 5, baseline: 0 })).toEqual({ breached: true, limit: 0 });
  });

  it('baseline: never breached while there is no baseline yet (no day of the last 7 counted)', () => {
    expect(evaluateCondition({ comparison: 'baseline', threshold: 3, minValue: 0, value: 1_000, baseline: null })).toEqual({ breached: false, limit: 0 });
  });
});

describe('nextTransition', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const ago = (min: number) => new Date(now.getTime() - min * 60_000);

  it('opens firing at once without forMinutes, pending with it', () => {
    expect(nextTransition({ open: null, breached: true, forMinutes: 0, now })).toEqual({ kind: 'open', state: 'firing' });
    expect(nextTransition({ open: null, breached: true, forMinutes: 3, now })).toEqual({ kind: 'open', state: 'pending' });
    expect(nextTransition({ open: null, breached: false, forMinutes: 3, now })).toEqual({ kind: 'none' });
  });

  it('fires a pending episode once the condition has held forMinutes', () => {
    expect(nextTransition({ open: { state: 'pending', pendingSince: ago(2.9) }, breached: true, forMinutes: 3, now })).toEqual({ kind: 'update' });
    expect(nextTransition({ open: { state: 'pending', pendingSince: ago(3) }, breached: true, forMinutes: 3, now })).toEqual({ kind: 'fire' });
    expect(nextTransition({ open: { state: 'firing', pendingSince: ago(30) }, breached: true, forMinutes: 3, now })).toEqual({ kind: 'update' });
  });

  it('resolves when back to normal, notifying only an episode that fired', () => {
    expect(nextTransition({ open: { state: 'firing', pendingSince: ago(5) }, breached: false, forMinutes: 0, now })).toEqual({ kind: 'resolve', notify: true });
    expect(nextTransition({ open: { state: 'pending', pendingSince: ago(1) }, breached: false, forMinutes: 3, now })).toEqual({ kind: 'resolve', notify: false });
  });
});
