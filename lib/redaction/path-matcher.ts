import type { TPathSegment, TSelector } from './json-path';

// Matches many paths at once while a body is walked: each value carries the set of
// (rule, step) positions still alive on the way down to it, so the cost per value is the
// number of live positions, never the depth (a body nested 100 000 deep stays linear).

/** A set of live positions, encoded `rule * STRIDE + step`, without duplicates. */
export type TLiveSet = readonly number[];

const STRIDE = 1024; // > MAX_SEGMENTS

function selects(selector: TSelector, step: string | number): boolean {
  switch (selector.kind) {
    case 'wildcard':
      return true;
    case 'key':
      return typeof step === 'string' && step === selector.key;
    case 'index':
      return typeof step === 'number' && step === selector.index;
  }
}

export class PathMatcher {
  constructor(private readonly rules: readonly (readonly TPathSegment[])[]) {}

  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** The positions at the root value. */
  root(): TLiveSet {
    return this.rules.map((_, r) => r * STRIDE);
  }

  /** The positions at the child `step` (an object key or an array index) of a value at `live`. */
  child(live: TLiveSet, step: string | number): TLiveSet {
    if (live.length === 0) return live;
    // Live sets are small (at most every step of every rule): an array beats a Set here.
    const next: number[] = [];
    for (const position of live) {
      const rule = this.rules[Math.floor(position / STRIDE)]!;
      const segment = rule[position % STRIDE];
      if (!segment) continue; // a finished match: its value is masked whole, nothing below
      // `..x` stays alive below every value until the path ends.
      if (segment.descend && !next.includes(position)) next.push(position);
      if (selects(segment.selector, step) && !next.includes(position + 1)) next.push(position + 1);
    }
    // Below `..x` the set mostly stays the same: share it rather than keep a copy per level.
    return next.length === live.length && next.every((p, i) => p === live[i]) ? live : next;
  }

  /** True when some rule ends at this value: mask it. */
  matches(live: TLiveSet): boolean {
    for (const position of live) {
      if (position % STRIDE === this.rules[Math.floor(position / STRIDE)]!.length) return true;
    }
    return false;
  }
}
