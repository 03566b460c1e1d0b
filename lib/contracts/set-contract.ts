import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { compileContractSchema } from './compile-contract-schema';
import { toContractDto, ZContractInput, type TContract, type TContractInput } from './contract-dto';

/** Sets (or replaces) the contract of an origin queue. A schema that does not compile is a 400. */
export async function setContract({ actor, ...input }: { actor: TActor } & TContractInput): Promise<TContract> {
  requirePermission(actor, 'contracts:manage');
  const { origin, schema } = parseInput(ZContractInput, input);
  compileContractSchema(schema);
  return prisma().$transaction(async (tx) => {
    // Two admins setting the same contract at once: one after the other, each audit
    // event's "before" is the schema it replaced.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`contract:${origin}`}))`;
    const before = await tx.contract.findUnique({ where: { originQueue: origin } });
    // Strictly increasing, even within a millisecond: check-contract.ts caches by it.
    const updatedAt = new Date(Math.max(Date.now(), (before?.updatedAt.getTime() ?? 0) + 1));
    const data = { schema: schema as Prisma.InputJsonObject, updatedBy: actorLabel(actor), updatedAt };
    const row = await tx.contract.upsert({ where: { originQueue: origin }, create: { originQueue: origin, ...data }, update: data });
    await recordAuditEvent(tx, {
      actor: actorLabel(actor), action: 'contract.set', subject: `contract:${origin}`,
      before: (before?.schema ?? undefined) as Prisma.InputJsonValue | undefined, after: schema as Prisma.InputJsonObject,
    });
    return toContractDto(row);
  });
}
