import type { Prisma } from '../db/generated/client';

/** Makes the user a member of exactly these teams (inside the caller's transaction). */
export async function replaceUserTeams(tx: Prisma.TransactionClient, userId: string, teamIds: string[]): Promise<void> {
  await tx.teamMember.deleteMany({ where: { userId, teamId: { notIn: teamIds } } });
  // skipDuplicates: a concurrent "set team members" may have added the same pair already.
  await tx.teamMember.createMany({ data: teamIds.map((teamId) => ({ teamId, userId })), skipDuplicates: true });
}
