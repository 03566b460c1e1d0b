import type { TComparison } from './alert-rule-dto';

export type TCondition = {
  /** Whether the value is over its limit now. */
  breached: boolean;
  /** What the value was compared with: the threshold, or threshold × baseline. */
  limit: number;
};

/**
 * 'above': value > threshold. 'baseline': value > threshold × baseline and value >= minValue,
 * so a quiet queue with a baseline of 0 does not fire on its first message. That only holds
 * with minValue > 0, which is why a baseline rule is refused with minValue <= 0
 * (alert-rule-dto ruleProblem; an omitted minValue is 1/min). Without a baseline (no day of
 * the previous 7 was counted yet) a baseline rule cannot fire.
 */
export function evaluateCondition({ comparison, threshold, minValue, value, baseline }: {
  comparison: TComparison; threshold: number; minValue: number; value: number; baseline: number | null;
}): TCondition {
  if (comparison === 'above') return { breached: value > threshold, limit: threshold };
  if (baseline === null) return { breached: false, limit: 0 };
  const limit = threshold * baseline;
  return { breached: value > limit && value >= minValue, limit };
}

export type TAlertState = 'pending' | 'firing' | 'resolved';

/** What happens to one rule+subject at an evaluation: the next state of its open episode, or nothing. */
export type TTransition =
  | { kind: 'none' }
  | { kind: 'open'; state: 'pending' | 'firing' }
  | { kind: 'update' }
  | { kind: 'fire' }
  /** `notify`: the episode had fired (a pending one ends quietly). */
  | { kind: 'resolve'; notify: boolean };

/** The state machine: none → pending → firing → resolved; pending that clears ends without a notification. */
export function nextTransition({ open, breached, forMinutes, now }: {
  open: { state: TAlertState; pendingSince: Date } | null; breached: boolean; forMinutes: number; now: Date;
}): TTransition {
  const heldLongEnough = (since: Date) => now.getTime() - since.getTime() >= forMinutes * 60_000;
  if (!open) return breached ? { kind: 'open', state: forMinutes === 0 ? 'firing' : 'pending' } : { kind: 'none' };
  if (!breached) return { kind: 'resolve', notify: open.state === 'firing' };
  if (open.state === 'pending' && heldLongEnough(open.pendingSince)) return { kind: 'fire' };
  return { kind: 'update' };
}
