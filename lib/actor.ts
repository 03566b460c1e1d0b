import type { TRole } from './permissions/roles';

/**
 * A team-scoped actor sees and acts on the messages whose origin or source queue one of
 * its teams owns, or that an ownership rule gave to one of its teams
 * (lib/permissions/team-scope.ts). `null`/absent: every message.
 */
export type TTeamScope = { teamIds: string[]; origins: string[]; sources: string[] };

/** Who is acting: a signed-in operator, an API token, or a process of our own. */
export type TActor =
  | { kind: 'user'; id: string; email: string; role: TRole; scope?: TTeamScope | null }
  | { kind: 'token'; id: string; name: string; role: TRole; scope?: TTeamScope | null }
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

/** A stable identity for the actor (emails and token names can change; ids cannot). */
export function actorKey(actor: TActor): string {
  return actor.kind === 'system' ? actorLabel(actor) : `${actor.kind}:${actor.id}`;
}
