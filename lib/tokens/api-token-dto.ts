import type { Prisma } from '../db/generated/client';

// An API token as it is listed: never its secret or its hash. The prefix lets an operator
// recognise a token they hold.

export type TApiToken = {
  id: string;
  name: string;
  prefix: string;
  role: string;
  /** The team whose queues it is limited to; null: every queue. */
  team: { id: string; name: string } | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  expired: boolean;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

export const API_TOKEN_INCLUDE = { team: { select: { id: true, name: true } } } as const satisfies Prisma.ApiTokenInclude;

type TApiTokenRow = Prisma.ApiTokenGetPayload<{ include: typeof API_TOKEN_INCLUDE; omit: { tokenHash: true } }>;

export function toApiTokenDto(row: TApiTokenRow, now = new Date()): TApiToken {
  return {
    id: row.id, name: row.name, prefix: row.prefix, role: row.role, team: row.team, createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: row.expiresAt !== null && row.expiresAt <= now,
    revokedAt: row.revokedAt?.toISOString() ?? null, lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** The token as the audit trail keeps it. */
export function toApiTokenAudit(token: TApiToken) {
  return { name: token.name, prefix: token.prefix, role: token.role, team: token.team?.name ?? null, expiresAt: token.expiresAt };
}
