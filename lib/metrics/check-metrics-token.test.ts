import { describe, expect, it } from 'vitest';
import { checkMetricsToken } from './check-metrics-token';

const TOKEN = 'a-metrics-token-of-some-length';

describe('checkMetricsToken', () => {
  it('is disabled when no token is configured, whatever is sent', () => {
    expect(checkMetricsToken(`Bearer ${TOKEN}`, undefined)).toBe('disabled');
    expect(checkMetricsToken(null, undefined)).toBe('disabled');
    expect(checkMetricsToken(null, '')).toBe('disabled');
  });

  it('accepts exactly the configured bearer token', () => {
    expect(checkMetricsToken(`Bearer ${TOKEN}`, TOKEN)).toBe('ok');
    expect(checkMetricsToken(`bearer ${TOKEN}`, TOKEN)).toBe('ok');
  });

  it('refuses a missing, malformed, shorter, longer or different token', () => {
    for (const header of [null, '', TOKEN, `Basic ${TOKEN}`, 'Bearer ', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.toUpperCase()}`, `Bearer ${TOKEN} extra`]) {
      expect(checkMetricsToken(header, TOKEN), String(header)).toBe('unauthorized');
    }
  });
});
