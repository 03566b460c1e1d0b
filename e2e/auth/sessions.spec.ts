import type { BrowserContext } from '@playwright/test';
import { createOperator, expect, signInOverHttp, test } from '../support/fixtures';

// Sessions end at SESSION_MAX_AGE_SECONDS after sign-in (8 h here) however much they are
// used, and at the next request after "sign out everywhere", for pages and the API alike.

const BASE = process.env.E2E_BASE_URL!;
const HOUR = 3600_000;

async function userRow(email: string) {
  const { prisma } = await import('../../lib/db/prisma');
  return prisma().user.findUniqueOrThrow({ where: { email } });
}

/** A session cookie as next-auth signs it, for a sign-in at `authAt`; its own JWT expiry is an hour away. */
async function forgeSession(context: BrowserContext, token: { uid: string; email: string; authAt: number }) {
  const { encode } = await import('next-auth/jwt');
  const value = await encode({ secret: process.env.E2E_NEXTAUTH_SECRET!, token, maxAge: 3600 });
  await context.addCookies([{ name: 'next-auth.session-token', value, url: BASE, httpOnly: true, sameSite: 'Lax' }]);
}

test('a session signed in longer ago than the maximum age is refused, though its cookie is still valid', async ({ page, context }) => {
  const user = await createOperator('viewer');
  const { id } = await userRow(user.email);
  await forgeSession(context, { uid: id, email: user.email, authAt: Date.now() - HOUR });
  expect((await page.request.get('/api/v1/me')).status(), 'a one-hour-old session works').toBe(200);

  await forgeSession(context, { uid: id, email: user.email, authAt: Date.now() - 8 * HOUR - 60_000 });
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  await page.goto('/messages');
  await expect(page).toHaveURL(/\/login/);
});

test('sign out everywhere ends an open session at its next request, page and API, and a new sign-in works', async ({ page }) => {
  const user = await createOperator('viewer');
  await signInOverHttp(page.request, user);
  await page.goto('/messages');
  await expect(page.getByRole('table', { name: 'Dead letters' })).toBeVisible();

  // What the admin action does (lib/users/revoke-user-sessions.ts): sessions issued before now end.
  const { prisma } = await import('../../lib/db/prisma');
  await prisma().user.update({ where: { email: user.email }, data: { sessionsValidAfter: new Date() } });
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  // A new page (the open one notices at its next refresh and goes to sign in by itself).
  const fresh = await page.context().newPage();
  await fresh.goto('/sources');
  await expect(fresh).toHaveURL(/\/login\?callbackUrl=%2Fsources/);

  await signInOverHttp(page.request, user);
  expect((await page.request.get('/api/v1/me')).status()).toBe(200);
});
