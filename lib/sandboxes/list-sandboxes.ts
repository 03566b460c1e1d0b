import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { canActor } from '../permissions/require-permission';
import { toSandboxDto, type TSandbox } from './sandbox-dto';

/** Admins manage sandboxes; operators pick one in the replay dialog. Neither sees a password. */
export async function listSandboxes({ actor }: { actor: TActor }): Promise<TSandbox[]> {
  if (!canActor(actor, 'sandboxes:manage') && !canActor(actor, 'messages:replay')) {
    throw new AppError('FORBIDDEN', 'This needs the messages:replay or sandboxes:manage permission');
  }
  const rows = await prisma().sandbox.findMany({ orderBy: { name: 'asc' }, omit: { url: false } });
  return rows.map(toSandboxDto);
}
