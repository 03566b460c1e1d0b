import { describe, expect, it } from 'vitest';
import { describeProblem } from './console-status-dto';

const at = '2026-11-30T03:12:00.000Z';
const since = (iso: string) => (iso === at ? '03:12' : 'other');
const sentence = (problem: Parameters<typeof describeProblem>[0]) => {
  const { title, detail } = describeProblem(problem, since);
  return `${title} — ${detail}.`;
};

describe('describeProblem', () => {
  it('says what is down, since when, and what happens to the messages meanwhile', () => {
    expect(sentence({ kind: 'broker', since: at, workers: 'reconnecting' })).toBe(
      'RabbitMQ unreachable from the console since 03:12 — the worker is reconnecting; dead letters wait in their queues and replays in the outbox; nothing is lost.',
    );
    expect(sentence({ kind: 'broker', since: at, workers: 'connected' })).toContain('the worker is still connected and ingesting');
    expect(sentence({ kind: 'broker', since: at, workers: 'none' })).toBe(
      'RabbitMQ unreachable from the console since 03:12 — dead letters wait in their queues and replays in the outbox; nothing is lost.',
    );
    expect(sentence({ kind: 'worker-broker', since: at, down: 1, of: 1 })).toMatch(/^The worker cannot reach RabbitMQ since 03:12 — it is reconnecting; /);
    expect(sentence({ kind: 'worker-broker', since: at, down: 2, of: 3 })).toBe(
      '2 of 3 workers cannot reach RabbitMQ since 03:12 — they are reconnecting; the others keep ingesting and replaying.',
    );
    expect(sentence({ kind: 'no-worker', since: at })).toMatch(/^No worker has reported since 03:12 — nothing is ingested or replayed until one runs/);
    expect(sentence({ kind: 'no-worker', since: null })).toMatch(/^No worker is running — /);
    expect(sentence({ kind: 'database', since: at })).toMatch(/^PostgreSQL unreachable from the console since 03:12 — /);
  });
});
