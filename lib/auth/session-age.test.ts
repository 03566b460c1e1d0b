import { describe, expect, it } from 'vitest';
import { isSessionExpired } from './session-age';

describe('isSessionExpired', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');

  it('keeps a session younger than the maximum age, and ends it at that age however it was used', () => {
    expect(isSessionExpired({ authAt: now - 3_599_000, maxAgeSeconds: 3600, now })).toBe(false);
    expect(isSessionExpired({ authAt: now - 3_600_000, maxAgeSeconds: 3600, now })).toBe(true);
    expect(isSessionExpired({ authAt: now - 9 * 3_600_000, maxAgeSeconds: 8 * 3600, now })).toBe(true);
  });

  it('refuses a session without a usable sign-in time', () => {
    for (const authAt of [undefined, null, '1700000000000', Number.NaN, now + 10 * 60_000]) {
      expect(isSessionExpired({ authAt, maxAgeSeconds: 3600, now }), String(authAt)).toBe(true);
    }
    expect(isSessionExpired({ authAt: now + 30_000, maxAgeSeconds: 3600, now })).toBe(false);
  });
});
