import { describe, expect, it } from 'vitest';
import { median, percentile, slope } from './stats';

describe('bench statistics', () => {
  it('percentile takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('slope of a line, and of a flat series with noise', () => {
    expect(slope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2);
    expect(Math.abs(slope([[0, 10], [1, 11], [2, 9], [3, 10]]))).toBeLessThan(0.5);
    expect(slope([[0, 1]])).toBe(0);
  });
});
