import { describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import type { BulkJob } from '../db/generated/client';
import { toJobDto } from './job-dto';
import { toJobActionInput, ZJobRequest } from './job-input';

const operator: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', email: 'op@example.com', role: 'operator' };
const viewer: TActor = { kind: 'user', id: '00000000-0000-4000-8000-000000000002', email: 'v@example.com', role: 'viewer' };

function issues(body: unknown): string[] {
  const parsed = ZJobRequest.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('ZJobRequest', () => {
  it('takes a filter selection or named ids, and the single action\'s fields', () => {
    expect(issues({ action: 'replay', selection: { filters: { source: 'orders.dlq' }, expectedCount: 3, maxId: '9' }, target: { queue: 'orders' }, canary: { size: 5, waitSeconds: 60 } })).toEqual([]);
    expect(issues({ action: 'redirect', selection: { ids: ['1', '2'] }, team: 'billing', jsonPatch: [{ op: 'remove', path: '/x' }] })).toEqual([]);
    expect(issues({ action: 'discard', selection: { ids: ['1'] }, reason: 'noise', ratePerSecond: 10 })).toEqual([]);
  });

  it('refuses what a job cannot mean, with the field it is about', () => {
    expect(issues({ action: 'discard', selection: { ids: ['1'] }, canary: { size: 1, waitSeconds: 1 } })).not.toEqual([]);
    expect(issues({ action: 'redirect', selection: { ids: ['1'] } })).toEqual(['team: name one "team", or set "allTeams": true']);
    expect(issues({ action: 'replay', selection: { ids: ['1'] }, revision: 1, jsonPatch: [{ op: 'remove', path: '/x' }] })[0]).toMatch(/^revision: a JSON patch applies/);
    expect(issues({ action: 'replay', selection: { ids: ['1', '1'] } })).not.toEqual([]);
    expect(issues({ action: 'replay', selection: { ids: ['0'] } })).not.toEqual([]);
    expect(issues({ action: 'replay', selection: { filters: { reason: 'nope' } } })).not.toEqual([]);
    expect(issues({ action: 'replay', selection: { filters: {}, maxId: 'x' } })).not.toEqual([]);
    expect(issues({ action: 'replay', selection: { ids: ['1'] }, ratePerSecond: 0 })).not.toEqual([]);
    expect(issues({ action: 'replay', selection: { ids: ['1'] }, canary: { size: 1001, waitSeconds: 1 } })).not.toEqual([]);
    expect(issues({ action: 'replay', selection: { ids: ['1'] }, canary: { size: 1, waitSeconds: 3601 } })).not.toEqual([]);
    expect(issues({ action: 'purge', selection: { ids: ['1'] } })).not.toEqual([]);
    expect(issues({ action: 'replay', selection: { ids: ['1'] }, extra: true })).not.toEqual([]);
  });

  it('keeps what each message runs with, without the job\'s own options', () => {
    const input = ZJobRequest.parse({ action: 'replay', selection: { ids: ['1'] }, target: { queue: 'q' }, reason: ' fixed ', ratePerSecond: 5, canary: { size: 1, waitSeconds: 1 }, dryRun: false });
    expect(toJobActionInput(input)).toEqual({ target: { queue: 'q' }, reason: 'fixed' });
  });
});

function row(overrides: Partial<BulkJob>): BulkJob {
  const at = new Date('2026-11-29T10:00:00Z');
  return {
    id: '00000000-0000-4000-8000-00000000000a', kind: 'replay', status: 'running', input: {}, selection: { filters: { source: 'q' }, named: false, maxId: '10', count: 100 },
    total: 100, done: 40, failed: 10, ratePerSecond: 20, canarySize: 0, canaryWaitMs: 0, canaryUntil: null, canaryPassedAt: null, haltReason: null,
    reason: null, createdBy: 'user:op@example.com', createdByKey: `user:${operator.kind === 'user' ? operator.id : ''}`, scopeTeamIds: [], version: 1,
    leaseOwner: null, leaseUntil: null, createdAt: at, startedAt: at, finishedAt: null, updatedAt: at, ...overrides,
  };
}

describe('toJobDto', () => {
  it('says what remains, how fast it goes and when it will end', () => {
    const dto = toJobDto(row({}), { skipped: 0, recent: 100 }, null, operator);
    expect(dto).toMatchObject({ remaining: 50, observedRate: 10, etaSeconds: 5, canary: { state: 'none' }, can: { pause: true, resume: false, cancel: true } });
    expect(toJobDto(row({}), { skipped: 0, recent: 0 }, null, operator).etaSeconds).toBe(3); // no samples yet: the configured rate
    expect(toJobDto(row({ status: 'paused' }), { skipped: 0, recent: 0 }, null, operator)).toMatchObject({ etaSeconds: null, can: { pause: false, resume: true, cancel: true } });
  });

  it('counts skipped items out of what remains once a job ended, and offers nothing to a viewer', () => {
    const dto = toJobDto(row({ status: 'cancelled', finishedAt: new Date() }), { skipped: 50, recent: 0 }, null, viewer);
    expect(dto).toMatchObject({ remaining: 0, skipped: 50, etaSeconds: null, can: { pause: false, resume: false, cancel: false } });
  });

  it('tells the canary\'s state', () => {
    const canary = { canarySize: 5, canaryWaitMs: 60_000 };
    expect(toJobDto(row({ ...canary, status: 'canary' }), { skipped: 0, recent: 0 }, null, operator).canary).toMatchObject({ state: 'pending', size: 5, waitSeconds: 60 });
    expect(toJobDto(row({ ...canary, status: 'canary', canaryUntil: new Date() }), { skipped: 0, recent: 0 }, null, operator).canary.state).toBe('waiting');
    expect(toJobDto(row({ ...canary, status: 'halted' }), { skipped: 0, recent: 0 }, null, operator).canary.state).toBe('halted');
    expect(toJobDto(row({ ...canary, canaryPassedAt: new Date() }), { skipped: 0, recent: 0 }, null, operator).canary.state).toBe('passed');
  });
});
