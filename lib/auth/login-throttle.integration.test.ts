import { afterAll, beforeAll, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { createUser } from '../users/create-user';
import { authorizeCredentials } from './authorize-credentials';
import { emailKey, ipKey } from './login-throttle';

const SYSTEM = { kind: 'system', name: 'cli' } as const;
const LIMITS = { perEmail: 10, perIp: 50, windowSeconds: 900 };
const PASSWORD = 'correct horse battery';
let db: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => { db = await createTestDatabase('login_throttle'); });
afterAll(async () => db?.drop());

async function newUser(label: string) {
  const email = `${label}@example.com`;
  await createUser({ actor: SYSTEM, email, password: PASSWORD, role: 'viewer' });
  return email;
}
const attempt = (email: string, password: string, ip: string | null = null, limits = LIMITS) => authorizeCredentials({ email, password, ip, limits });
const failuresOf = async (key: string) => (await prisma().loginThrottle.findUnique({ where: { key } }))?.failures ?? 0;

it('refuses even the right password after 10 failures, until the window ends', async () => {
  const email = await newUser('ten');
  const started = Date.now();
  for (let i = 0; i < 10; i++) expect(await attempt(email, 'wrong password!')).toEqual({ ok: false, reason: 'invalid' });
  const refused = await attempt(email, PASSWORD);
  expect(refused).toMatchObject({ ok: false, reason: 'throttled' });
  // The wait is what is left of the window that began at the first failure.
  const elapsed = Math.ceil((Date.now() - started) / 1000);
  expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(900 - elapsed - 1);
  expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(900);
  // The same address typed in another case is the same key.
  expect(await attempt(email.toUpperCase(), PASSWORD)).toMatchObject({ ok: false, reason: 'throttled' });

  // The window ends: the right password works, and resets the count.
  await prisma().$executeRaw`UPDATE login_throttle SET window_start = window_start - interval '901 seconds' WHERE key = ${emailKey(email)}`;
  expect(await attempt(email, PASSWORD)).toMatchObject({ ok: true, user: { email } });
  expect(await failuresOf(emailKey(email))).toBe(0);
  expect(await attempt(email, 'wrong password!')).toEqual({ ok: false, reason: 'invalid' });
  expect(await failuresOf(emailKey(email))).toBe(1);
});

it('forgets earlier failures after a successful sign-in', async () => {
  const email = await newUser('reset');
  for (let i = 0; i < 9; i++) await attempt(email, 'wrong password!');
  expect(await attempt(email, PASSWORD)).toMatchObject({ ok: true });
  for (let i = 0; i < 9; i++) expect(await attempt(email, 'wrong password!')).toEqual({ ok: false, reason: 'invalid' });
  expect(await attempt(email, PASSWORD)).toMatchObject({ ok: true });
});

it('counts 20 concurrent failures exactly, and lets at most 10 reach the password check', async () => {
  const email = await newUser('burst');
  const results = await Promise.all(Array.from({ length: 20 }, () => attempt(email, 'wrong password!', '198.51.100.20')));
  expect(await failuresOf(emailKey(email))).toBe(20);
  expect(await failuresOf(ipKey('198.51.100.20'))).toBe(20);
  expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(10);
  expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(10);
});

it('throttles an address spraying many accounts, and other addresses not at all', async () => {
  const limits = { ...LIMITS, perIp: 5 };
  const victims = await Promise.all(['s1', 's2', 's3', 's4', 's5', 's6'].map(newUser));
  for (const email of victims.slice(0, 5)) expect(await attempt(email, 'wrong password!', '203.0.113.5', limits)).toEqual({ ok: false, reason: 'invalid' });
  expect(await attempt(victims[5]!, PASSWORD, '203.0.113.5', limits)).toMatchObject({ ok: false, reason: 'throttled' });
  expect(await attempt(victims[5]!, PASSWORD, '203.0.113.6', limits)).toMatchObject({ ok: true });
  // The success gives its own attempt back to its address, not the other address's count.
  expect(await failuresOf(ipKey('203.0.113.6'))).toBe(0);
  expect(await failuresOf(ipKey('203.0.113.5'))).toBe(6);
});

it('deletes windows that have ended when someone signs in, so the table does not grow', async () => {
  const email = await newUser('prune');
  await attempt('nobody-1@example.com', 'x');
  await attempt('nobody-2@example.com', 'x');
  await prisma().$executeRaw`UPDATE login_throttle SET window_start = window_start - interval '2 hours' WHERE key LIKE 'email:nobody-%'`;
  expect(await attempt(email, PASSWORD)).toMatchObject({ ok: true });
  expect(await prisma().loginThrottle.count({ where: { key: { startsWith: 'email:nobody-' } } })).toBe(0);
});
