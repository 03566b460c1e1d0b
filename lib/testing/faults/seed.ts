import { randomInt } from 'node:crypto';

// Where a scenario breaks things is drawn from a seed: printed and recorded with the row,
// and FAULT_SEED=<n> reruns exactly those points.

export function faultSeed(): number {
  const given = process.env.FAULT_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`FAULT_SEED must be a whole number >= 0, got "${given}"`);
    return seed;
  }
  return randomInt(2 ** 31);
}

/** mulberry32: a small deterministic generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `count` distinct whole numbers in [min, max), ascending. */
export function killPoints(random: () => number, count: number, min: number, max: number): number[] {
  if (max - min < count) throw new Error(`cannot draw ${count} distinct points from [${min}, ${max})`);
  const points = new Set<number>();
  while (points.size < count) points.add(min + Math.floor(random() * (max - min)));
  return [...points].sort((a, b) => a - b);
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const roundS = (ms: number) => Math.round(ms / 10) / 100;
