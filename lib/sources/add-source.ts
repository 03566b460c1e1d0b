import type { TActor } from '../actor';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { parseInput } from '../validation/text';
import { addSources } from './add-sources';
import { ZSourceQueue } from './source-name';

/** Adds one source (the API's POST): a queue that is a source already is a CONFLICT, not a quiet no-op. */
export async function addSource({ actor, queue }: { actor: TActor; queue: string }): Promise<{ queue: string }> {
  requirePermission(actor, 'sources:manage');
  const name = parseInput(ZSourceQueue, queue);
  const added = await addSources({ actor, queues: [name] });
  if (added.length === 0) throw new AppError('CONFLICT', `${JSON.stringify(name)} is a source already`);
  return { queue: name };
}
