import { describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import type { ApprovalRequest } from '../db/generated/client';
import { toApprovalSummary } from './approval-dto';
import { describeApproval } from './describe-approval';

const row = (over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  id: '7f8c1d9e-0000-4000-8000-000000000001', kind: 'replay', status: 'pending', input: { reason: 'fixed' },
  messageIds: [1n, 2n], grounds: ['threshold'], reason: 'fixed', requestedBy: 'user:ana@example.com', requestedByKey: 'user:ana',
  requestedAt: new Date('2026-11-29T10:00:00Z'), decidedBy: null, decidedByKey: null, decidedAt: null, decisionReason: null,
  executedAt: null, result: null, jobId: null, ...over,
});
const user = (id: string, role: 'operator' | 'support_lead' | 'viewer' | 'admin'): TActor => ({ kind: 'user', id, email: `${id}@example.com`, role });

describe('what a caller may do with a request', () => {
  it('the requester may only cancel; another holder of the permission may approve or reject', () => {
    expect(toApprovalSummary(row(), user('ana', 'operator'))).toMatchObject({ mine: true, can: { approve: false, reject: false, cancel: true, resume: false } });
    expect(toApprovalSummary(row(), user('bo', 'operator'))).toMatchObject({ mine: false, can: { approve: true, reject: true, cancel: false, resume: false } });
  });

  it('needs the action’s own permission to decide, and settings:manage to cancel another’s', () => {
    expect(toApprovalSummary(row(), user('lee', 'support_lead')).can).toEqual({ approve: false, reject: false, cancel: false, resume: false });
    expect(toApprovalSummary(row({ kind: 'redirect' }), user('lee', 'support_lead')).can).toMatchObject({ approve: true, reject: true });
    expect(toApprovalSummary(row(), user('vi', 'viewer')).can).toEqual({ approve: false, reject: false, cancel: false, resume: false });
    expect(toApprovalSummary(row(), user('ad', 'admin')).can).toEqual({ approve: true, reject: true, cancel: true, resume: false });
    // A token of the same person is another identity: the key differs.
    expect(toApprovalSummary(row(), { kind: 'token', id: 'ana', name: 'ci', role: 'operator' }).mine).toBe(false);
  });

  it('offers to resume an approved request that did not finish, and nothing once it ran', () => {
    const approved = { status: 'approved', decidedBy: 'user:bo@example.com', decidedByKey: 'user:bo', decidedAt: new Date() };
    expect(toApprovalSummary(row(approved), user('cy', 'operator')).can).toEqual({ approve: false, reject: false, cancel: false, resume: true });
    const ran = toApprovalSummary(row({ ...approved, executedAt: new Date(), result: { succeeded: ['1'], failed: [{ messageId: '2', error: 'stale' }] } }), user('cy', 'operator'));
    expect(ran.can).toEqual({ approve: false, reject: false, cancel: false, resume: false });
    expect(ran.outcome).toEqual({ succeeded: 1, failed: 1 });
  });
});

describe('describeApproval', () => {
  it('says what would happen, to what', () => {
    expect(describeApproval('replay', {}, 1)).toBe('replay of 1 message to its origin queue');
    expect(describeApproval('replay', { target: { queue: 'orders' } }, 150)).toBe('replay of 150 messages to queue orders');
    expect(describeApproval('replay', { target: { exchange: 'x', routingKey: 'k' } }, 2)).toBe('replay of 2 messages to exchange x with routing key k');
    expect(describeApproval('replay', { sandbox: 'staging' }, 2)).toBe('replay of 2 messages to sandbox staging');
    expect(describeApproval('redirect', { team: 'billing' }, 3)).toBe('redirect of 3 messages to team billing');
    expect(describeApproval('redirect', { allTeams: true }, 3)).toBe('redirect of 3 messages to all teams');
    expect(describeApproval('discard', null, 101)).toBe('discard of 101 messages');
  });
});
