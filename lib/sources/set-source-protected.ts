import type { TActor } from '../actor';
import { updateSource } from './update-source';

export { ZSourceUpdate } from './update-source';

/**
 * Protects a source (replays, redirects and discards of its messages then need a second
 * person's approval, lib/approvals) or lifts that. Setting what is set records nothing.
 */
export async function setSourceProtected({ actor, queue, protected: isProtected }: { actor: TActor; queue: string; protected: boolean }) {
  const source = await updateSource({ actor, queue, changes: { protected: isProtected } });
  return { queue: source.queue, protected: source.protected };
}
