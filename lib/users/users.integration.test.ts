import { afterAll, beforeAll, expect, it } from 'vitest';
import { prisma } from '../db/prisma';
import { createTestDatabase } from '../testing/test-database';
import { authenticateUser } from './authenticate-user';
import { createUser } from './create-user';

const SYSTEM = { kind: 'system', name: 'cli' } as const;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('users'); });
afterAll(async () => db?.drop());

it('answers CONFLICT to both losers of concurrent creates with the same email', async () => {
  const attempts = await Promise.allSettled(
    Array.from({ length: 4 }, () => createUser({ actor: SYSTEM, email: 'race@example.com', password: 'long enough password', role: 'viewer' })),
  );
  expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  for (const a of attempts.filter((x) => x.status === 'rejected')) {
    expect((a as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
  }
  expect(await prisma().user.count({ where: { email: 'race@example.com' } })).toBe(1);
  expect(await prisma().auditEvent.count({ where: { action: 'user.created' } })).toBe(1);
});

it('signs in by email in any case, refuses wrong passwords, disabled users and corrupt hashes', async () => {
  await createUser({ actor: SYSTEM, email: 'Case@Example.com', password: 'correct horse battery', role: 'operator' });
  expect(await authenticateUser({ email: 'CASE@example.COM ', password: 'correct horse battery' })).toMatchObject({ email: 'case@example.com', role: 'operator' });
  expect(await authenticateUser({ email: 'case@example.com', password: 'wrong horse battery' })).toBeNull();
  expect(await authenticateUser({ email: 'nobody@example.com', password: 'correct horse battery' })).toBeNull();
  await prisma().user.update({ where: { email: 'case@example.com' }, data: { passwordHash: 'scrypt$3$8$1$c2FsdA==$aGFzaA==' } });
  expect(await authenticateUser({ email: 'case@example.com', password: 'correct horse battery' })).toBeNull();
  await createUser({ actor: SYSTEM, email: 'gone@example.com', password: 'correct horse battery', role: 'viewer' });
  await prisma().user.update({ where: { email: 'gone@example.com' }, data: { disabledAt: new Date() } });
  expect(await authenticateUser({ email: 'gone@example.com', password: 'correct horse battery' })).toBeNull();
});

it('refuses a viewer acting as an admin', async () => {
  await expect(createUser({ actor: { kind: 'user', id: 'x', email: 'v@example.com', role: 'viewer' }, email: 'n@example.com', password: 'long enough password', role: 'admin' }))
    .rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(await prisma().user.count({ where: { email: 'n@example.com' } })).toBe(0);
});
