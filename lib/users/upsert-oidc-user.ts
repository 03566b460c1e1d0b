import { recordAuditEvent } from '../audit/record-audit-event';
import type { TOidcIdentity } from '../auth/map-oidc-claims';
import type { Prisma } from '../db/generated/client';
import { isUniqueViolation } from '../db/is-unique-violation';
import { prisma } from '../db/prisma';
import { log } from '../log';

// Just-in-time provisioning for single sign-on: the first sign-in creates the user, every
// sign-in re-applies the role (and the mapped teams) from the identity provider's claims,
// so a group change there takes effect at the next sign-in. Each change is audited.
// An account that signs in with a password is never taken over (docs/decisions/0013).

export type TOidcUpsert = { ok: true; userId: string } | { ok: false; refusal: 'OidcAccountConflict' | 'AccountDisabled' };

type TInput = {
  identity: TOidcIdentity;
  issuer: string;
  /** Every team named in OIDC_TEAM_MAP: the teams whose membership the provider decides. */
  managedTeams: string[];
};

export async function upsertOidcUser(input: TInput): Promise<TOidcUpsert> {
  try {
    return await prisma().$transaction((tx) => applyIdentity(tx, input));
  } catch (error) {
    // Two first sign-ins at once: the loser meets the unique email and finds the winner's row.
    if (isUniqueViolation(error)) return prisma().$transaction((tx) => applyIdentity(tx, input));
    throw error;
  }
}

async function applyIdentity(tx: Prisma.TransactionClient, { identity, issuer, managedTeams }: TInput): Promise<TOidcUpsert> {
  const actor = `oidc:${new URL(issuer).host}`;
  const existing = await tx.user.findUnique({
    where: { email: identity.email },
    include: { memberships: { select: { teamId: true, team: { select: { name: true } } } } },
  });
  if (existing && existing.authProvider !== 'oidc') return { ok: false, refusal: 'OidcAccountConflict' };
  if (existing?.disabledAt) return { ok: false, refusal: 'AccountDisabled' };

  const teams = identity.teams === null ? null : await resolveTeams(tx, identity.teams, managedTeams);
  if (!existing) {
    const user = await tx.user.create({
      data: {
        email: identity.email, name: identity.name, role: identity.role, authProvider: 'oidc', passwordHash: null,
        memberships: teams ? { create: teams.wanted.map((t) => ({ teamId: t.id })) } : undefined,
      },
    });
    await recordAuditEvent(tx, {
      actor, action: 'user.created', subject: `user:${user.id}`,
      after: { email: identity.email, name: identity.name, role: identity.role, authProvider: 'oidc', ...(teams && { teams: names(teams.wanted) }) },
    });
    return { ok: true, userId: user.id };
  }

  const currentManaged = teams ? existing.memberships.filter((m) => teams.managedIds.has(m.teamId)) : [];
  const toAdd = teams ? teams.wanted.filter((t) => !currentManaged.some((m) => m.teamId === t.id)) : [];
  const toRemove = teams ? currentManaged.filter((m) => !teams.wanted.some((t) => t.id === m.teamId)) : [];
  const roleChanged = existing.role !== identity.role;
  const nameChanged = existing.name !== identity.name;
  if (!roleChanged && !nameChanged && toAdd.length === 0 && toRemove.length === 0) return { ok: true, userId: existing.id };

  await tx.user.update({ where: { id: existing.id }, data: { role: identity.role, name: identity.name } });
  if (toRemove.length > 0) await tx.teamMember.deleteMany({ where: { userId: existing.id, teamId: { in: toRemove.map((m) => m.teamId) } } });
  if (toAdd.length > 0) await tx.teamMember.createMany({ data: toAdd.map((t) => ({ teamId: t.id, userId: existing.id })) });
  const before = { role: existing.role, name: existing.name, ...(teams && { teams: names(currentManaged.map((m) => m.team)) }) };
  const after = { role: identity.role, name: identity.name, ...(teams && { teams: names(teams.wanted) }) };
  await recordAuditEvent(tx, { actor, action: 'user.updated', subject: `user:${existing.id}`, before, after });
  return { ok: true, userId: existing.id };
}

async function resolveTeams(tx: Prisma.TransactionClient, wantedNames: string[], managedNames: string[]) {
  const found = await tx.team.findMany({ where: { name: { in: [...new Set([...managedNames, ...wantedNames])] } }, select: { id: true, name: true } });
  const missing = managedNames.filter((n) => !found.some((t) => t.name === n));
  // A renamed or deleted team must not lock everyone out: sign-in goes on without it, loudly.
  if (missing.length > 0) log.warn('OIDC_TEAM_MAP names teams that do not exist', { teams: missing });
  return { wanted: found.filter((t) => wantedNames.includes(t.name)), managedIds: new Set(found.map((t) => t.id)) };
}

const names = (teams: { name: string }[]) => teams.map((t) => t.name).sort();
