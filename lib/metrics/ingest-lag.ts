import type { TXDeathEntry } from '../ingest/parse-death-headers';

// Ingest lag: how long a dead letter waited between the broker dead-lettering it and our
// commit. The broker stamps each x-death entry with `time`, but that is the FIRST time for
// its (queue, reason) pair: a message dead-lettered again from the same queue keeps the old
// time and its age says nothing about this trip. So only a newest entry with count 1
// measures lag; others, and messages without x-death (published straight to a source), are
// not observed. `time` has one-second resolution, so the lag does too.

export function ingestLagSeconds(xDeath: readonly TXDeathEntry[], committedAt: Date): number | null {
  const newest = xDeath[0];
  if (!newest || newest.count !== 1 || newest.time === null) return null;
  const diedAt = Date.parse(newest.time);
  if (Number.isNaN(diedAt)) return null;
  // A broker clock ahead of ours would give a negative lag: it is zero as far as we can tell.
  return Math.max(0, (committedAt.getTime() - diedAt) / 1000);
}
