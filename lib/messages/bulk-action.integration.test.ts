import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../actor';
import { startApprovalFixture, settledStatuses, type TApprovalFixture } from '../approvals/approval-fixture';
import { isPendingApproval } from '../approvals/approval-kinds';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { runBulkAction } from './bulk-action';
import { discardMessage } from './discard-message';

// POST /api/v1/messages/bulk underneath: all or nothing on the selection, at once under
// the threshold, one approval request over it, and one answer per Idempotency-Key.

let fx: TApprovalFixture;
let operator: Extract<TActor, { kind: 'user' }>;
let lead: Extract<TActor, { kind: 'user' }>;

beforeAll(async () => {
  fx = await startApprovalFixture('bulk');
  await fx.setThreshold(5);
  operator = await fx.user('operator');
  lead = await fx.user('support_lead');
}, 60_000);
afterAll(async () => fx?.stop());

const dispatchCount = (ids: bigint[]) => prisma().dispatch.count({ where: { messageId: { in: ids } } });

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('bulk actions', () => {
  it('run at once under the threshold, each message in its own action, refusals listed with their reason', async () => {
    const { ids } = await fx.deadLetters(3);
    await discardMessage({ actor: operator, id: String(ids[2]), version: 1, input: { version: 1 } });
    const { answer, replayed } = await runBulkAction({ actor: operator, input: { action: 'replay', ids: ids.map(String), reason: 'bulk fix' } });
    expect(replayed).toBe(false);
    expect(answer).toEqual({
      action: 'replay', total: 3, succeeded: [String(ids[0]), String(ids[1])],
      failed: [{ messageId: String(ids[2]), error: expect.stringMatching(/is discarded; restore it/) }],
    });
    expect(await dispatchCount(ids)).toBe(2);
    expect(await settledStatuses(ids.slice(0, 2))).toEqual(['replayed', 'replayed']);
    const events = await prisma().auditEvent.findMany({ where: { action: 'message.replay_requested', messageId: { in: ids } } });
    expect(events.map((e) => e.reason)).toEqual(['bulk fix', 'bulk fix']);
  });

  it('change nothing when a message is missing or another team’s, and say which', async () => {
    const { ids } = await fx.deadLetters(2);
    const missing = await appError(runBulkAction({ actor: operator, input: { action: 'discard', ids: [...ids.map(String), '999999999'] } }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'No message with id 999999999', details: { missing: ['999999999'], missingCount: 1 } });
    const scoped = { ...operator, scope: { teamIds: [], origins: [], sources: [] } };
    const hidden = await appError(runBulkAction({ actor: scoped, input: { action: 'discard', ids: ids.map(String) } }));
    expect(hidden.code).toBe('NOT_FOUND');
    expect(await prisma().message.count({ where: { id: { in: ids }, status: 'discarded' } })).toBe(0);
    expect(await prisma().approvalRequest.count({ where: { messageIds: { hasSome: ids } } })).toBe(0);
  });

  it('need the action’s own permission', async () => {
    const { ids } = await fx.deadLetters(1);
    expect((await appError(runBulkAction({ actor: lead, input: { action: 'replay', ids: ids.map(String) } }))).code).toBe('FORBIDDEN');
    expect((await appError(runBulkAction({ actor: operator, input: { action: 'redirect', ids: ids.map(String), allTeams: true } }))).code).toBe('FORBIDDEN');
  });

  it('become one pending request over the threshold or with a protected source, once per Idempotency-Key', async () => {
    const many = await fx.deadLetters(6);
    const send = () => runBulkAction({ actor: operator, idempotencyKey: 'bulk-over', input: { action: 'discard', ids: many.ids.map(String), reason: 'noise' } });
    const first = await send();
    expect(isPendingApproval(first.answer) && first.answer.approval).toMatchObject({ status: 'pending', grounds: ['threshold'], messageCount: 6 });
    expect(await send()).toEqual({ answer: first.answer, replayed: true });
    expect(await prisma().approvalRequest.count({ where: { messageIds: { hasSome: many.ids } } })).toBe(1);
    expect(await prisma().message.count({ where: { id: { in: many.ids }, status: 'discarded' } })).toBe(0);

    const open = await fx.deadLetters(1);
    const guarded = await fx.deadLetters(1, { through: fx.protectedSource });
    const { answer } = await runBulkAction({ actor: operator, input: { action: 'replay', ids: [...open.ids, ...guarded.ids].map(String) } });
    expect(isPendingApproval(answer) && answer.approval.grounds).toEqual([`protected:${fx.protectedSource.dlq}`]);
    expect(await dispatchCount([...open.ids, ...guarded.ids])).toBe(0);
  });

  it('answer a retry with the first answer, and resume a run that did not finish without acting twice', async () => {
    const { ids } = await fx.deadLetters(3);
    const input = { action: 'replay' as const, ids: ids.map(String) };
    const first = await runBulkAction({ actor: operator, idempotencyKey: 'bulk-retry', input });
    expect(await runBulkAction({ actor: operator, idempotencyKey: 'bulk-retry', input })).toEqual({ answer: first.answer, replayed: true });
    expect((await appError(runBulkAction({ actor: operator, idempotencyKey: 'bulk-retry', input: { ...input, reason: 'other' } }))).code).toBe('CONFLICT');

    // As if the process had died after the messages but before the answer was stored.
    await prisma().idempotentRequest.updateMany({ where: { key: 'bulk-retry' }, data: { status: 0, response: {} } });
    const resumed = await runBulkAction({ actor: operator, idempotencyKey: 'bulk-retry', input });
    expect(resumed).toEqual({ answer: first.answer, replayed: false });
    expect(await dispatchCount(ids)).toBe(3);
  });
});
