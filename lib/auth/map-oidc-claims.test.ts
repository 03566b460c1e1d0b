import { describe, expect, it } from 'vitest';
import type { TOidcRoleMapping } from '../env';
import { mapOidcClaims, readGroups } from './map-oidc-claims';

const settings = {
  groupsClaim: 'groups',
  roleMap: [
    { group: 'dlq-admins', role: 'admin' },
    { group: 'dlq-audit', role: 'auditor' },
    { group: 'sre', role: 'operator' },
    { group: 'support', role: 'support_lead' },
    { group: 'everyone', role: 'viewer' },
  ] satisfies TOidcRoleMapping[],
};
type TSettings = Parameters<typeof mapOidcClaims>[1];
const settingsWith = (over: Partial<TSettings>): TSettings => ({ ...settings, roleMap: [...settings.roleMap], defaultRole: null, teamMap: [], ...over });

const claims = (over: Record<string, unknown> = {}) => ({ sub: 'u-1', email: 'Ada@Example.com', email_verified: true, name: 'Ada', groups: [], ...over });

describe('mapOidcClaims', () => {
  it('gives the role of the FIRST listed mapping the user matches, not the "highest" one', () => {
    expect(mapOidcClaims(claims({ groups: ['everyone', 'sre'] }), settingsWith({}))).toMatchObject({ ok: true, identity: { role: 'operator' } });
    expect(mapOidcClaims(claims({ groups: ['sre', 'dlq-audit'] }), settingsWith({}))).toMatchObject({ ok: true, identity: { role: 'auditor' } });
    // The same groups with the map written the other way round: the operator chose.
    const reversed = settingsWith({ roleMap: [...settings.roleMap].reverse() });
    expect(mapOidcClaims(claims({ groups: ['sre', 'dlq-audit'] }), reversed)).toMatchObject({ ok: true, identity: { role: 'operator' } });
  });

  it('refuses a user with no mapped group (AccessDenied) unless a default role is set', () => {
    expect(mapOidcClaims(claims({ groups: ['marketing'] }), settingsWith({}))).toEqual({ ok: false, refusal: 'AccessDenied' });
    expect(mapOidcClaims(claims({ groups: undefined }), settingsWith({}))).toEqual({ ok: false, refusal: 'AccessDenied' });
    expect(mapOidcClaims(claims({ groups: ['marketing'] }), settingsWith({ defaultRole: 'viewer' }))).toMatchObject({ ok: true, identity: { role: 'viewer' } });
  });

  it('matches group names exactly (case and whole name)', () => {
    expect(mapOidcClaims(claims({ groups: ['DLQ-Admins', 'dlq-admins-old'] }), settingsWith({}))).toEqual({ ok: false, refusal: 'AccessDenied' });
  });

  it('lowercases the email, and refuses an unverified or missing one', () => {
    expect(mapOidcClaims(claims({ groups: ['sre'] }), settingsWith({}))).toMatchObject({ ok: true, identity: { email: 'ada@example.com', subject: 'u-1', name: 'Ada' } });
    expect(mapOidcClaims(claims({ groups: ['sre'], email_verified: false }), settingsWith({}))).toEqual({ ok: false, refusal: 'OidcEmailUnverified' });
    expect(mapOidcClaims(claims({ groups: ['sre'], email_verified: 'false' }), settingsWith({}))).toEqual({ ok: false, refusal: 'OidcEmailUnverified' });
    expect(mapOidcClaims(claims({ groups: ['sre'], email: undefined }), settingsWith({}))).toEqual({ ok: false, refusal: 'OidcNoEmail' });
    expect(mapOidcClaims(claims({ groups: ['sre'], email: 'not-an-address' }), settingsWith({}))).toEqual({ ok: false, refusal: 'OidcNoEmail' });
    // A provider that does not send email_verified at all is trusted (documented).
    expect(mapOidcClaims(claims({ groups: ['sre'], email_verified: undefined }), settingsWith({}))).toMatchObject({ ok: true });
  });

  it('falls back to preferred_username for the name, and to null', () => {
    expect(mapOidcClaims(claims({ groups: ['sre'], name: ' ', preferred_username: 'ada.l' }), settingsWith({}))).toMatchObject({ ok: true, identity: { name: 'ada.l' } });
    expect(mapOidcClaims(claims({ groups: ['sre'], name: undefined }), settingsWith({}))).toMatchObject({ ok: true, identity: { name: null } });
  });

  it('leaves teams alone without OIDC_TEAM_MAP, and lists every mapped team the user is in with it', () => {
    expect(mapOidcClaims(claims({ groups: ['sre'] }), settingsWith({}))).toMatchObject({ ok: true, identity: { teams: null } });
    const teamMap = [{ group: 'sre', team: 'Billing' }, { group: 'payments', team: 'Billing' }, { group: 'ship', team: 'Shipping' }, { group: 'hr', team: 'People' }];
    expect(mapOidcClaims(claims({ groups: ['sre', 'payments', 'ship'] }), settingsWith({ teamMap }))).toMatchObject({ ok: true, identity: { teams: ['Billing', 'Shipping'] } });
    expect(mapOidcClaims(claims({ groups: ['everyone'] }), settingsWith({ teamMap }))).toMatchObject({ ok: true, identity: { teams: [] } });
  });
});

describe('readGroups', () => {
  it('reads a dotted path, a claim whose name has dots, one string, and ignores non-strings', () => {
    expect(readGroups({ realm_access: { roles: ['a', 'b'] } }, 'realm_access.roles')).toEqual(new Set(['a', 'b']));
    expect(readGroups({ 'https://example.com/groups': ['x'] }, 'https://example.com/groups')).toEqual(new Set(['x']));
    expect(readGroups({ groups: 'solo' }, 'groups')).toEqual(new Set(['solo']));
    expect(readGroups({ groups: ['ok', 3, null, { a: 1 }] }, 'groups')).toEqual(new Set(['ok']));
    expect(readGroups({ groups: { nested: true } }, 'groups')).toEqual(new Set());
    expect(readGroups({}, 'realm_access.roles')).toEqual(new Set());
  });
});
