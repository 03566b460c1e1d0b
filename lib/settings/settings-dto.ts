import { z } from 'zod';
import type { Prisma, Settings } from '../db/generated/client';

// Console-wide settings: one row (the migration inserts it; a check keeps it single).

export const ZApprovalThreshold = z
  .number({ error: 'approvalThreshold must be a number' })
  .int('approvalThreshold must be a whole number')
  .min(1, 'approvalThreshold must be at least 1')
  .max(1_000_000, 'approvalThreshold must be at most 1000000');

/** The body of PATCH /api/v1/settings: only the fields given change. */
export const ZSettingsUpdate = z
  .strictObject({ approvalThreshold: ZApprovalThreshold.optional() })
  .refine((u) => Object.values(u).some((v) => v !== undefined), 'nothing to change: give approvalThreshold');
export type TSettingsUpdate = z.input<typeof ZSettingsUpdate>;

export type TSettings = {
  /** A replay, redirect or discard touching more messages than this needs a second person's approval. */
  approvalThreshold: number;
  updatedBy: string | null;
  updatedAt: string;
};

export function toSettingsDto(row: Settings): TSettings {
  return { approvalThreshold: row.approvalThreshold, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() };
}

/** The settings as the audit trail keeps them. */
export function toSettingsAudit(settings: TSettings) {
  return { approvalThreshold: settings.approvalThreshold };
}

/** For domain code that needs a setting while it works (no permission check: the caller has made its own). */
export async function readSettings(db: Pick<Prisma.TransactionClient, 'settings'>): Promise<TSettings> {
  const row = await db.settings.findUnique({ where: { id: true } });
  if (!row) throw new Error('The settings row is missing: the access_control migration inserts it, and nothing deletes it');
  return toSettingsDto(row);
}
