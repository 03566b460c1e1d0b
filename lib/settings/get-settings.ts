import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { requirePermission } from '../permissions/require-permission';
import { readSettings, type TSettings } from './settings-dto';

/** Anyone who reads messages may see the settings: they explain why an action waits for approval. */
export async function getSettings({ actor }: { actor: TActor }): Promise<TSettings> {
  requirePermission(actor, 'messages:read');
  return readSettings(prisma());
}
