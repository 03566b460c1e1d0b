import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the password it hashed, in the scrypt$N$r$p$salt$hash format', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
  });

  it('rejects a wrong password, including one that differs only in case or by a trailing space', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('wrong password entirely', stored)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', stored)).toBe(false);
    expect(await verifyPassword('correct horse battery staple ', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: two hashes of the same password differ and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password twice'), hashPassword('same password twice')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password twice', a)).toBe(true);
    expect(await verifyPassword('same password twice', b)).toBe(true);
  });

  it('normalises Unicode, so the same password typed on another keyboard still matches', async () => {
    const stored = await hashPassword('caf\u00e9 au lait 2024');
    expect(await verifyPassword('cafe\u0301 au lait 2024', stored)).toBe(true);
  });

  it('returns false for a stored hash of the wrong shape', async () => {
    const good = await hashPassword('correct horse battery staple');
    const [, n, r, p, salt, hash] = good.split('$');
    for (const stored of [
      '',
      'not a hash',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash!.slice(0, 20)}`,
      `scrypt$${n}$${r}$${p}$${salt}$!!!!`,
    ]) {
      expect(await verifyPassword('correct horse battery staple', stored), stored).toBe(false);
    }
  });

  // A corrupt row must fail the sign-in, not throw out of verifyPassword (a 500 on the
  // login form). Fails until verifyPassword checks N, r and p before calling scrypt.
  it('returns false, without throwing, when the stored cost parameters are not usable', async () => {
    const good = await hashPassword('correct horse battery staple');
    const [, , r, p, salt, hash] = good.split('$');
    for (const n of ['abc', '3', '1073741824']) {
      await expect(verifyPassword('correct horse battery staple', `scrypt$${n}$${r}$${p}$${salt}$${hash}`), n).resolves.toBe(false);
    }
  });
});
