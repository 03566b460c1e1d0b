import type { TOidcSettings } from '../env';
import type { TRole } from '../permissions/roles';

// What an identity provider's claims mean here: who the user is, which role they get and
// (with OIDC_TEAM_MAP) which mapped teams they are in. Pure, so every rule is unit-tested
// (docs/decisions/0013-authentication.md).

export type TOidcIdentity = {
  subject: string;
  email: string;
  name: string | null;
  role: TRole;
  /** The mapped teams the user is in; null when OIDC_TEAM_MAP is not set (memberships left alone). */
  teams: string[] | null;
};

/** Why a user is refused; each is a code the login page explains (app/login/login-errors.ts). */
export type TOidcRefusal = 'OidcNoEmail' | 'OidcEmailUnverified' | 'AccessDenied';

export type TMappedClaims = { ok: true; identity: TOidcIdentity } | { ok: false; refusal: TOidcRefusal };

type TSettings = Pick<TOidcSettings, 'groupsClaim' | 'roleMap' | 'defaultRole' | 'teamMap'>;

export function mapOidcClaims(claims: Record<string, unknown>, settings: TSettings): TMappedClaims {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email || !email.includes('@')) return { ok: false, refusal: 'OidcNoEmail' };
  // An address the provider has not verified could be anyone's: it must not become an account.
  // Absent means the provider does not say; providers that check addresses send true.
  if (claims.email_verified === false || claims.email_verified === 'false') return { ok: false, refusal: 'OidcEmailUnverified' };

  const groups = readGroups(claims, settings.groupsClaim);
  // The FIRST mapping entry the user matches decides: the roles are not a strict hierarchy
  // (an auditor may not act, an operator may not read the audit record), so the order in
  // OIDC_ROLE_MAP is the precedence the operator chose.
  const role = settings.roleMap.find((m) => groups.has(m.group))?.role ?? settings.defaultRole;
  if (!role) return { ok: false, refusal: 'AccessDenied' };

  const teams = settings.teamMap.length === 0 ? null : [...new Set(settings.teamMap.filter((m) => groups.has(m.group)).map((m) => m.team))].sort();
  const name = [claims.name, claims.preferred_username].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return { ok: true, identity: { subject: String(claims.sub ?? ''), email, name: name?.trim().slice(0, 200) ?? null, role, teams } };
}

/**
 * The user's groups from a claim name ('groups') or a dotted path ('realm_access.roles').
 * A claim whose name itself has dots (Auth0's 'https://example.com/groups') is found first.
 * Accepts an array of strings, or one string.
 */
export function readGroups(claims: Record<string, unknown>, path: string): Set<string> {
  let value: unknown = claims[path];
  if (value === undefined) {
    value = path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), claims);
  }
  if (typeof value === 'string') return new Set([value]);
  if (!Array.isArray(value)) return new Set();
  return new Set(value.filter((g): g is string => typeof g === 'string'));
}
