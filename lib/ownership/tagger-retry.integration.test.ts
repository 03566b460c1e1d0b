import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TActor } from '../actor';
import { settledStatuses, startApprovalFixture, type TApprovalFixture } from '../approvals/approval-fixture';
import { prisma } from '../db/prisma';
import { redirectMessage } from '../messages/redirect-message';
import { createOwnershipRule } from './create-ownership-rule';
import { RETRY_LEDGER, tagMessageOwners } from './tag-message-owners';

// One message whose auto-redirect fails (not a refusal) must hold back neither the rest of
// its batch nor the next steps; it is retried later with a backoff, and redirected once.

const failing = new Set<string>();
vi.mock('../messages/redirect-message', async (original) => {
  const real = await original<typeof import('../messages/redirect-message')>();
  return {
    ...real,
    redirectMessage: vi.fn(async (options: Parameters<typeof real.redirectMessage>[0]) => {
      if (failing.has(options.id)) throw new Error('connection reset while redirecting');
      return real.redirectMessage(options);
    }),
  };
});

const ADMIN: TActor = { kind: 'user', id: 'a', email: 'admin@example.com', role: 'admin' };

let f: TApprovalFixture;
beforeAll(async () => { f = await startApprovalFixture('ownership_retry'); }, 60_000);
afterAll(async () => f?.stop());

const ledger = (id: bigint) => prisma().idempotentRequest.findUnique({ where: { actor_key: { actor: RETRY_LEDGER, key: `ownership:${id}` } } });
const attemptsFor = (id: bigint) => vi.mocked(redirectMessage).mock.calls.filter(([o]) => o.id === id.toString()).length;

describe('a failing auto-redirect', () => {
  it('is isolated to its message, left out of the claim until its retry time, then redirected exactly once', async () => {
    const dest = await f.broker.queue(`team-${randomBytes(2).toString('hex')}`);
    const owner = await prisma().team.create({ data: { name: `owner-${randomBytes(2).toString('hex')}`, queue: dest } });
    await prisma().source.update({ where: { queue: f.source.dlq }, data: { autoRedirect: true } });
    const { work, ids } = await f.deadLetters(3, { label: 'retry' });
    await createOwnershipRule({ actor: ADMIN, rule: { teamId: owner.id, matchKind: 'origin_queue', pattern: work } });
    const [stuck, ...rest] = ids as [bigint, ...bigint[]];
    failing.add(stuck.toString());

    // The first (oldest, head of the batch) fails; the step does not throw and the others go.
    await expect(tagMessageOwners()).resolves.toMatchObject({ checked: 3, redirected: 2, failed: 1 });
    expect(await settledStatuses(rest)).toEqual(['redirected', 'redirected']);
    expect(await prisma().message.findUniqueOrThrow({ where: { id: stuck } })).toMatchObject({ status: 'new', ownerCheckedAt: null, ownerTeamId: owner.id });
    const first = await ledger(stuck);
    expect(first).toMatchObject({ status: 1 });
    const retryAt = new Date((first!.response as { retryAt: string }).retryAt).getTime();
    expect(retryAt - Date.now()).toBeGreaterThan(20_000);

    // Before its retry time the next steps do not claim it again.
    await expect(tagMessageOwners()).resolves.toMatchObject({ checked: 0, failed: 0 });
    expect(attemptsFor(stuck)).toBe(1);

    // Due, and still failing: the wait doubles.
    await prisma().$executeRaw`UPDATE idempotent_requests SET response = jsonb_build_object('retryAt', now() - interval '1 second') WHERE actor = ${RETRY_LEDGER}`;
    await expect(tagMessageOwners()).resolves.toMatchObject({ checked: 1, failed: 1 });
    const second = await ledger(stuck);
    expect(second).toMatchObject({ status: 2 });
    expect(new Date((second!.response as { retryAt: string }).retryAt).getTime() - Date.now()).toBeGreaterThan(50_000);

    // Due, and the fault gone: redirected once, checked, and its retry row removed.
    failing.delete(stuck.toString());
    await prisma().$executeRaw`UPDATE idempotent_requests SET response = jsonb_build_object('retryAt', now() - interval '1 second') WHERE actor = ${RETRY_LEDGER}`;
    await expect(tagMessageOwners()).resolves.toMatchObject({ checked: 1, redirected: 1, failed: 0 });
    expect(await settledStatuses([stuck])).toEqual(['redirected']);
    expect(await ledger(stuck)).toBeNull();
    expect((await prisma().message.findUniqueOrThrow({ where: { id: stuck } })).ownerCheckedAt).not.toBeNull();
    await tagMessageOwners();
    await new Promise((r) => setTimeout(r, 500));
    expect(await f.broker.messageCount(dest)).toBe(3);
    expect(await prisma().dispatch.count({ where: { messageId: stuck } })).toBe(1);
  });
});
