import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { TOidcSettings } from '../env';

// The generic OpenID Connect provider (any issuer with discovery: Keycloak, Entra ID,
// Okta, Google, Dex, ...). next-auth validates the ID token (signature from the issuer's
// JWKS, iss, aud, exp), PKCE and state; lib/auth/map-oidc-claims.ts decides who may enter.

type TClaims = Record<string, unknown> & { sub: string };

export function oidcProvider(settings: TOidcSettings): OAuthConfig<TClaims> {
  return {
    id: 'oidc',
    name: settings.name,
    type: 'oauth',
    wellKnown: `${settings.issuer}/.well-known/openid-configuration`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: settings.scopes } },
    idToken: true,
    checks: ['pkce', 'state'],
    userinfo: {
      // Many providers put groups in the userinfo answer only, others in the ID token only:
      // read both. The signed ID token wins where they overlap.
      async request({ tokens, client }) {
        // At run time `tokens` is openid-client's TokenSet, already validated (checks above).
        const claims = (tokens as unknown as { claims(): TClaims }).claims();
        if (!client.issuer.metadata.userinfo_endpoint || !tokens.access_token) return claims;
        const info = (await client.userinfo(tokens.access_token)) as Record<string, unknown>;
        if (info.sub !== claims.sub) throw new Error('OIDC userinfo answered for another subject than the ID token');
        return { ...info, ...claims };
      },
    },
    // The id is replaced by our user id in the signIn callback (lib/auth/auth-options.ts).
    profile(claims) {
      return { id: claims.sub, email: typeof claims.email === 'string' ? claims.email : null, name: typeof claims.name === 'string' ? claims.name : null };
    },
  };
}
