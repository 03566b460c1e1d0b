import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, TOKEN_PREFIX } from './token-hash';

describe('API token format and hashing', () => {
  it('generates dlq_ followed by 256 random bits in base64url', () => {
    const token = generateToken();
    expect(TOKEN_PREFIX).toBe('dlq_');
    expect(token).toMatch(/^dlq_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
  });

  it('never repeats a token', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
  });

  it('hashes to the hex SHA-256 of the whole token, prefix included', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = generateToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(token.slice(4)));
  });

  it('gives different hashes for tokens that differ in one character', () => {
    const token = generateToken();
    const other = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(hashToken(other)).not.toBe(hashToken(token));
  });
});
