import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { API_TOKEN_INCLUDE, toApiTokenDto, type TApiToken } from './api-token-dto';

/** Every token, newest first, revoked and expired ones included (they say so). */
export async function listApiTokens({ actor }: { actor: TActor }): Promise<TApiToken[]> {
  requirePermission(actor, 'tokens:manage');
  const rows = await prisma().apiToken.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], include: API_TOKEN_INCLUDE });
  const now = new Date();
  return rows.map((row) => toApiTokenDto(row, now));
}
