import { actorLabel, type TActor } from '../actor';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { toSandboxAudit, toSandboxDto, type TSandbox } from './sandbox-dto';

/** A sandbox chosen by id (the API) or by name (the CLI). */
export type TSandboxRef = { id: string } | { name: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Deletes a sandbox; dispatches already made to it keep its name. Returns it as it was. */
export async function deleteSandbox({ actor, sandbox: ref }: { actor: TActor; sandbox: TSandboxRef }): Promise<TSandbox> {
  requirePermission(actor, 'sandboxes:manage');
  const notFound = () => new AppError('NOT_FOUND', 'id' in ref ? `No sandbox with id ${JSON.stringify(ref.id)}` : `No sandbox named ${JSON.stringify(ref.name)}`);
  if ('id' in ref && !UUID.test(ref.id)) throw notFound();
  return prisma().$transaction(async (tx) => {
    const row = await tx.sandbox.findFirst({ where: 'id' in ref ? { id: ref.id } : { name: ref.name }, omit: { url: false } });
    // Of two concurrent deletes, the second deletes nothing: it is told so, and records nothing.
    if (!row || (await tx.sandbox.deleteMany({ where: { id: row.id } })).count === 0) throw notFound();
    const sandbox = toSandboxDto(row);
    await recordAuditEvent(tx, { actor: actorLabel(actor), action: 'sandbox.deleted', subject: `sandbox:${sandbox.name}`, before: toSandboxAudit(sandbox) });
    return sandbox;
  });
}
