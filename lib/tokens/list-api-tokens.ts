import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';

export async function listApiTokens({ actor }: { actor: TActor }) {
  requirePermission(actor, 'tokens:manage');
  return prisma().apiToken.findMany({ orderBy: { createdAt: 'desc' } });
}
