import type { TRole } from './permissions/roles';

/** Who is acting: a signed-in operator, an API token, or a process of our own. */
export type TActor =
  | { kind: 'user'; id: string; email: string; role: TRole }
  | { kind: 'token'; id: string; name: string; role: TRole }
  /** `by`: who ran it, when known (the OS user and host of a CLI run). */
  | { kind: 'system'; name: 'worker' | 'cli'; by?: string };

export function actorLabel(actor: TActor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.email}`;
    case 'token':
      return `token:${actor.name}`;
    case 'system':
      return actor.by ? `system:${actor.name} (${actor.by})` : `system:${actor.name}`;
  }
}
