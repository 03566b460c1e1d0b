import { describe, expect, it } from 'vitest';
import { oidcSettings, parseEnv, webEnvProblem } from './env';

describe('parseEnv', () => {
  it('has defaults that work on a development machine', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ DATABASE_URL: expect.stringMatching(/^postgresql:\/\/.*127\.0\.0\.1/), RABBITMQ_URL: expect.stringMatching(/^amqp:\/\//), DLQ_SOURCES: [], DLQ_LARGE_BODY_BYTES: 10 * 1024 * 1024 });
  });

  it('treats an empty value as unset', () => {
    const env = parseEnv({ NEXTAUTH_SECRET: '', DLQ_PREFETCH: ' ' });
    expect(env.NEXTAUTH_SECRET).toBeUndefined();
    expect(env.DLQ_PREFETCH).toBe(500);
  });

  it('reads a list of sources', () => {
    expect(parseEnv({ DLQ_SOURCES: ' a.dlq, b.dlq ,,' }).DLQ_SOURCES).toEqual(['a.dlq', 'b.dlq']);
  });

  it('says what is wrong on one line, each problem naming its variable', () => {
    const error = (() => { try { parseEnv({ DATABASE_URL: 'mysql://x', RABBITMQ_URL: 'http://x', DLQ_PREFETCH: 'lots' }); } catch (e) { return e as Error; } })();
    expect(error?.message).toBe('Invalid environment: DATABASE_URL: must be a postgresql:// URL; RABBITMQ_URL: must be an amqp:// or amqps:// URL; DLQ_PREFETCH: must be a number');
    expect(() => parseEnv({ DLQ_PREFETCH: '-1' })).toThrow(/^Invalid environment: DLQ_PREFETCH: must be a positive number$/);
    expect(() => parseEnv({ DLQ_PREFETCH: '1.5' })).toThrow(/^Invalid environment: DLQ_PREFETCH: must be a whole number$/);
  });

  it('wants a host in the connection URLs', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgresql://' })).toThrow(/^Invalid environment: DATABASE_URL: must name a host/);
    expect(() => parseEnv({ RABBITMQ_URL: 'amqp://' })).toThrow(/^Invalid environment: RABBITMQ_URL: must name a host/);
    // libpq's own form for a Unix socket names the host as a parameter.
    expect(parseEnv({ DATABASE_URL: 'postgresql:///dlq?host=/var/run/postgresql' }).DATABASE_URL).toMatch(/host=/);
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(() => parseEnv({ DLQ_PREFETCH: '-1' })).toThrow(/DLQ_PREFETCH/);
    expect(() => parseEnv({ DLQ_LARGE_BODY_BYTES: 'lots' })).toThrow(/DLQ_LARGE_BODY_BYTES/);
    expect(() => parseEnv({ NEXTAUTH_SECRET: 'short' })).toThrow(/NEXTAUTH_SECRET/);
    expect(() => parseEnv({ DLQ_PREFETCH: '10', DLQ_BATCH_SIZE: '20' })).toThrow(/DLQ_BATCH_SIZE/);
    expect(() => parseEnv({ DLQ_PREFETCH: '20000', DLQ_BATCH_SIZE: '10001' })).toThrow(/DLQ_BATCH_SIZE: must be at most 10000/);
    expect(parseEnv({ DLQ_PREFETCH: '20000', DLQ_BATCH_SIZE: '10000' }).DLQ_BATCH_SIZE).toBe(10_000);
  });
});

describe('parseEnv: operability', () => {
  it('counts the inflow often enough that every minute is counted before the dashboard stops reading it from the messages', () => {
    expect(parseEnv({ DLQ_INFLOW_INTERVAL_MS: '240000' }).DLQ_INFLOW_INTERVAL_MS).toBe(240_000);
    expect(() => parseEnv({ DLQ_INFLOW_INTERVAL_MS: '240001' })).toThrow(/DLQ_INFLOW_INTERVAL_MS: must be at most 240000/);
    expect(() => parseEnv({ DLQ_INFLOW_INTERVAL_MS: '0' })).toThrow(/DLQ_INFLOW_INTERVAL_MS/);
  });

  it('wants heartbeats at least three times per staleness window', () => {
    expect(parseEnv({ DLQ_HEARTBEAT_INTERVAL_MS: '10000', DLQ_HEARTBEAT_STALE_SECONDS: '30' }).DLQ_HEARTBEAT_INTERVAL_MS).toBe(10_000);
    expect(() => parseEnv({ DLQ_HEARTBEAT_INTERVAL_MS: '10001' })).toThrow(/DLQ_HEARTBEAT_INTERVAL_MS/);
    expect(() => parseEnv({ DLQ_HEARTBEAT_INTERVAL_MS: '60000' })).toThrow(/DLQ_HEARTBEAT_INTERVAL_MS: must be at most a third of DLQ_HEARTBEAT_STALE_SECONDS/);
  });

  it('takes a trace template whose placeholders are in the path or query, never the host', () => {
    expect(parseEnv({ DLQ_TRACE_URL_TEMPLATE: 'https://tempo.example/trace/{traceId}?span={spanId}' }).DLQ_TRACE_URL_TEMPLATE).toBe('https://tempo.example/trace/{traceId}?span={spanId}');
    expect(() => parseEnv({ DLQ_TRACE_URL_TEMPLATE: 'https://{correlationId}.trace.example/' })).toThrow(/DLQ_TRACE_URL_TEMPLATE: must not have a placeholder in the host/);
    expect(() => parseEnv({ DLQ_TRACE_URL_TEMPLATE: 'https://{messageId}@trace.example/x' })).toThrow(/placeholder in the host/);
    expect(() => parseEnv({ DLQ_TRACE_URL_TEMPLATE: 'https://trace.example/x' })).toThrow(/must contain \{traceId\}/);
    expect(() => parseEnv({ DLQ_TRACE_URL_TEMPLATE: 'javascript:alert({traceId})' })).toThrow(/DLQ_TRACE_URL_TEMPLATE: must be an http\(s\) URL template/);
  });

  it('wants a metrics token long enough not to be guessed, and a valid worker metrics port', () => {
    expect(() => parseEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => parseEnv({ WORKER_METRICS_PORT: '70000' })).toThrow(/WORKER_METRICS_PORT/);
    expect(parseEnv({ WORKER_METRICS_PORT: '9464' }).WORKER_METRICS_PORT).toBe(9464);
  });
});

describe('parseEnv: single sign-on (OIDC)', () => {
  const base = { OIDC_ISSUER: 'https://id.example.com/realms/ops/', OIDC_CLIENT_ID: 'dlq', OIDC_CLIENT_SECRET: 's3cret', OIDC_ROLE_MAP: 'dlq-admins=admin' };

  it('is off when none of issuer, client id and secret is set', () => {
    const env = parseEnv({ OIDC_ROLE_MAP: 'x=viewer' });
    expect(oidcSettings(env)).toBeNull();
  });

  it('names the missing variables when only some are set', () => {
    expect(() => parseEnv({ OIDC_ISSUER: base.OIDC_ISSUER })).toThrow(/OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: must be set too/);
    expect(() => parseEnv({ OIDC_CLIENT_ID: 'dlq', OIDC_CLIENT_SECRET: 's' })).toThrow(/OIDC_ISSUER: must be set too/);
  });

  it('reads the settings with their defaults, the role map in the order written', () => {
    const settings = oidcSettings(parseEnv({ ...base, OIDC_ROLE_MAP: ' dlq-admins=admin, dlq-audit = auditor,sre=operator,support=support_lead,everyone=viewer' }));
    expect(settings).toMatchObject({
      issuer: 'https://id.example.com/realms/ops', clientId: 'dlq', clientSecret: 's3cret',
      scopes: 'openid email profile groups', name: 'Single sign-on', groupsClaim: 'groups', defaultRole: null, teamMap: [],
    });
    expect(settings!.roleMap).toEqual([
      { group: 'dlq-admins', role: 'admin' }, { group: 'dlq-audit', role: 'auditor' }, { group: 'sre', role: 'operator' },
      { group: 'support', role: 'support_lead' }, { group: 'everyone', role: 'viewer' },
    ]);
  });

  it('splits a mapping at the last "=", so a group name may contain one', () => {
    const settings = oidcSettings(parseEnv({ ...base, OIDC_ROLE_MAP: 'cn=dlq-admins=admin', OIDC_TEAM_MAP: 'cn=billing=Billing team' }));
    expect(settings!.roleMap).toEqual([{ group: 'cn=dlq-admins', role: 'admin' }]);
    expect(settings!.teamMap).toEqual([{ group: 'cn=billing', team: 'Billing team' }]);
  });

  it('refuses unknown roles and malformed entries, naming the entry', () => {
    expect(() => parseEnv({ ...base, OIDC_ROLE_MAP: 'dlq-admins=superuser' })).toThrow(/OIDC_ROLE_MAP: "dlq-admins=superuser": unknown role "superuser"/);
    expect(() => parseEnv({ ...base, OIDC_ROLE_MAP: 'dlq-admins' })).toThrow(/OIDC_ROLE_MAP: "dlq-admins" is not group=role/);
    expect(() => parseEnv({ ...base, OIDC_ROLE_MAP: '=admin' })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => parseEnv({ ...base, OIDC_DEFAULT_ROLE: 'root' })).toThrow(/OIDC_DEFAULT_ROLE: must be one of viewer/);
    expect(() => parseEnv({ ...base, OIDC_TEAM_MAP: 'billing' })).toThrow(/OIDC_TEAM_MAP: "billing" is not group=team/);
    expect(() => parseEnv({ ...base, OIDC_ISSUER: 'id.example.com' })).toThrow(/OIDC_ISSUER: must be the issuer URL/);
  });

  it('needs a role map or a default role, and the openid scope', () => {
    expect(() => parseEnv({ ...base, OIDC_ROLE_MAP: '' })).toThrow(/OIDC_ROLE_MAP: must map at least one group/);
    expect(oidcSettings(parseEnv({ ...base, OIDC_ROLE_MAP: '', OIDC_DEFAULT_ROLE: 'viewer' }))!.defaultRole).toBe('viewer');
    expect(() => parseEnv({ ...base, OIDC_SCOPES: 'email profile' })).toThrow(/OIDC_SCOPES: must include openid/);
  });
});

describe('parseEnv: login throttling and proxies', () => {
  it('has defaults: 10 failures per email, 50 per address, in 15 minutes; no proxy trusted', () => {
    expect(parseEnv({})).toMatchObject({ LOGIN_MAX_FAILURES_PER_EMAIL: 10, LOGIN_MAX_FAILURES_PER_IP: 50, LOGIN_THROTTLE_WINDOW_SECONDS: 900, TRUST_PROXY: false });
  });

  it('reads TRUST_PROXY as a boolean and refuses anything else', () => {
    expect(parseEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(() => parseEnv({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY: must be true or false/);
  });

  it('names a bad limit or window', () => {
    expect(() => parseEnv({ LOGIN_MAX_FAILURES_PER_EMAIL: '0' })).toThrow(/LOGIN_MAX_FAILURES_PER_EMAIL/);
    expect(() => parseEnv({ LOGIN_MAX_FAILURES_PER_IP: 'many' })).toThrow(/LOGIN_MAX_FAILURES_PER_IP/);
    expect(() => parseEnv({ LOGIN_THROTTLE_WINDOW_SECONDS: '5' })).toThrow(/LOGIN_THROTTLE_WINDOW_SECONDS: must be at least 10/);
    expect(() => parseEnv({ NEXTAUTH_URL: 'dlq.example.com' })).toThrow(/NEXTAUTH_URL/);
  });
});

describe('webEnvProblem', () => {
  it('wants NEXTAUTH_SECRET on top of a valid environment, on one line', () => {
    expect(webEnvProblem({})).toMatch(/^Invalid environment: NEXTAUTH_SECRET: must be set for the web app/);
    expect(webEnvProblem({ NEXTAUTH_SECRET: 'short' })).toBe('Invalid environment: NEXTAUTH_SECRET: must be at least 32 characters (e.g. `openssl rand -base64 32`)');
    expect(webEnvProblem({ NEXTAUTH_SECRET: 'x'.repeat(32), DATABASE_URL: 'mysql://x' })).toBe('Invalid environment: DATABASE_URL: must be a postgresql:// URL');
    expect(webEnvProblem({ NEXTAUTH_SECRET: 'x'.repeat(32) })).toBeNull();
  });
});
