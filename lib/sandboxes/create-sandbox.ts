import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db/is-unique-violation';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { toSandboxAudit, toSandboxDto, ZSandboxInput, type TSandbox, type TSandboxInput } from './sandbox-dto';

/** Stores the URL as given (amqplib reads the vhost from its path); answers it redacted. */
export async function createSandbox({ actor, ...input }: { actor: TActor } & TSandboxInput): Promise<TSandbox> {
  requirePermission(actor, 'sandboxes:manage');
  const { name, url } = parseInput(ZSandboxInput, input);
  const taken = () => new AppError('CONFLICT', `A sandbox named ${JSON.stringify(name)} already exists`);
  try {
    return await prisma().$transaction(async (tx) => {
      if (await tx.sandbox.findUnique({ where: { name } })) throw taken();
      const sandbox = toSandboxDto(await tx.sandbox.create({ data: { name, url }, omit: { url: false } }));
      await recordAuditEvent(tx, { actor: actorLabel(actor), action: 'sandbox.created', subject: `sandbox:${name}`, after: toSandboxAudit(sandbox) });
      return sandbox;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}
