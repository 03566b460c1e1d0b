import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { toContractDto, type TContract } from './contract-dto';

/** Everyone who can read messages can see what a replay will be checked against. */
export async function listContracts({ actor }: { actor: TActor }): Promise<TContract[]> {
  requirePermission(actor, 'messages:read');
  const rows = await prisma().contract.findMany({ orderBy: { originQueue: 'asc' } });
  return rows.map(toContractDto);
}
