import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

// A tiny OpenID Connect provider for the e2e suite: discovery, JWKS (an RSA key made at
// start), an /authorize that signs the browser in at once and sends it back with a code,
// /token with PKCE and client authentication, RS256 ID tokens, /userinfo.
//
// Who signs in is chosen per browser context, so parallel tests do not race: the test
// sets the cookie `mock-oidc-user` (see mockOidcUserCookie) to the user's JSON, base64url.
// Run: MOCK_OIDC_PORT=... MOCK_OIDC_CLIENT_ID=... MOCK_OIDC_CLIENT_SECRET=... tsx e2e/support/mock-oidc.ts

export type TMockOidcUser = { sub: string; email: string; name?: string; groups?: string[]; email_verified?: boolean };
export const MOCK_OIDC_USER_COOKIE = 'mock-oidc-user';

/** The cookie a Playwright test adds to its context to choose who the provider signs in. */
export function mockOidcUserCookie(user: TMockOidcUser, url: string) {
  return { name: MOCK_OIDC_USER_COOKIE, value: Buffer.from(JSON.stringify(user)).toString('base64url'), url };
}

type TGrant = { user: TMockOidcUser; redirectUri: string; challenge: string | null; nonce: string | null; expires: number };

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function startMockOidc({ port, clientId, clientSecret }: { port: number; clientId: string; clientSecret: string }) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const codes = new Map<string, TGrant>();
  const accessTokens = new Map<string, TMockOidcUser>();

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void> = {
    '/.well-known/openid-configuration': (_req, res) => json(res, 200, {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid', 'email', 'profile', 'groups'],
    }),
    '/jwks': (_req, res) => json(res, 200, { keys: [{ ...(publicKey.export({ format: 'jwk' }) as object), kid, alg: 'RS256', use: 'sig' }] }),
    '/authorize': (req, res, url) => {
      const q = url.searchParams;
      if (q.get('client_id') !== clientId || q.get('response_type') !== 'code' || !q.get('redirect_uri')) return json(res, 400, { error: 'invalid_request' });
      const user = userFromCookie(req);
      if (!user) return json(res, 400, { error: 'no user chosen: set the mock-oidc-user cookie' });
      const code = randomBytes(16).toString('hex');
      codes.set(code, { user, redirectUri: q.get('redirect_uri')!, challenge: q.get('code_challenge'), nonce: q.get('nonce'), expires: Date.now() + 60_000 });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      res.writeHead(302, { location: back.toString() }).end();
    },
    '/token': async (req, res) => {
      const form = new URLSearchParams(await readBody(req));
      const [id, secret] = clientCredentials(req, form);
      if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? ''); // one use only
      if (!grant || grant.expires < Date.now() || grant.redirectUri !== form.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant' });
      const verifier = form.get('code_verifier') ?? '';
      if (grant.challenge && b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE' });
      const accessToken = randomBytes(16).toString('hex');
      accessTokens.set(accessToken, grant.user);
      const now = Math.floor(Date.now() / 1000);
      const { groups: _groups, ...identity } = grant.user;
      // Groups come from /userinfo only, as many providers do, so the console must read both.
      const idToken = signJwt(privateKey, kid, { iss: issuer, aud: clientId, iat: now, exp: now + 300, ...(grant.nonce && { nonce: grant.nonce }), ...identity });
      json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken, scope: 'openid email profile groups' });
    },
    '/userinfo': (req, res) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const user = token ? accessTokens.get(token) : undefined;
      if (!user) return json(res, 401, { error: 'invalid_token' });
      json(res, 200, user);
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const route = routes[url.pathname];
    if (!route) return json(res, 404, { error: 'not_found' });
    Promise.resolve(route(req, res, url)).catch((error) => json(res, 500, { error: String(error) }));
  });
  return new Promise<{ issuer: string; close: () => Promise<void> }>((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({ issuer, close: () => new Promise((done) => server.close(() => done())) }));
  });
}

function signJwt(key: KeyObject, kid: string, payload: Record<string, unknown>) {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

function userFromCookie(req: IncomingMessage): TMockOidcUser | null {
  const raw = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).find(([name]) => name === MOCK_OIDC_USER_COOKIE)?.[1];
  if (!raw) return null;
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as TMockOidcUser;
  } catch {
    return null;
  }
}

function clientCredentials(req: IncomingMessage, form: URLSearchParams): [string | null, string | null] {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!basic) return [form.get('client_id'), form.get('client_secret')];
  const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
  return [decodeURIComponent(id ?? ''), decodeURIComponent(secret ?? '')];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body)).on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

if (process.argv[1]?.endsWith('mock-oidc.ts')) {
  const port = Number(process.env.MOCK_OIDC_PORT);
  const { issuer } = await startMockOidc({ port, clientId: process.env.MOCK_OIDC_CLIENT_ID ?? '', clientSecret: process.env.MOCK_OIDC_CLIENT_SECRET ?? '' });
  console.error(`mock OIDC provider at ${issuer}`);
  process.on('SIGTERM', () => process.exit(0));
}
