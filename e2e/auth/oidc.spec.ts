import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { createOperator, expect, test } from '../support/fixtures';
import { mockOidcUserCookie, type TMockOidcUser } from '../support/mock-oidc';

// Single sign-on against e2e/support/mock-oidc.ts, configured in playwright.config.ts:
// OIDC_ROLE_MAP dlq-admins=admin,dlq-audit=auditor,sre=operator,support=support_lead
// (no default role), OIDC_TEAM_MAP sre-billing=oidc-e2e-billing,sre-shipping=oidc-e2e-shipping.

const ISSUER = process.env.E2E_OIDC_ISSUER!;
const lib = { prisma: () => import('../../lib/db/prisma') };

function idpUser(groups: string[], over: Partial<TMockOidcUser> = {}): TMockOidcUser {
  const id = randomBytes(4).toString('hex');
  return { sub: `sub-${id}`, email: `sso-${id}@example.com`, name: `SSO ${id}`, groups, email_verified: true, ...over };
}

/** Chooses who the mock provider signs in, for this browser context only. */
async function actAs(context: BrowserContext, user: TMockOidcUser) {
  await context.addCookies([mockOidcUserCookie(user, ISSUER)]);
}

/** Opens the login page unless already there, and presses the single sign-on button once the page has hydrated. */
async function signInWithSso(page: Page) {
  if (!/\/login/.test(page.url())) await page.goto('/login');
  const button = page.getByRole('button', { name: 'Sign in with Mock SSO' });
  await expect(button).toBeEnabled();
  await button.click();
}

/** Where a sign-in ends: five hops through the provider and back, so allow them time. */
const landsOn = (page: Page, url: RegExp) => expect(page).toHaveURL(url, { timeout: 30_000 });
/** The login page's message (Next.js keeps an empty route announcer with role alert too). */
const loginAlert = (page: Page) => page.getByRole('alert').filter({ hasText: /\S/ });

async function me(page: Page) {
  const response = await page.request.get('/api/v1/me');
  return { status: response.status(), body: response.ok() ? ((await response.json()) as { id: string; email: string; role: string }) : null };
}

test('a user in the admin group signs in with the button, lands on the dashboard and is an admin', async ({ page, context }) => {
  const user = idpUser(['everyone', 'dlq-admins']);
  await actAs(context, user);
  await signInWithSso(page);
  await landsOn(page, /\/$/);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  expect(await me(page)).toMatchObject({ status: 200, body: { email: user.email, role: 'admin' } });

  const { prisma } = await lib.prisma();
  const row = await prisma().user.findUniqueOrThrow({ where: { email: user.email }, omit: { passwordHash: false } });
  expect(row).toMatchObject({ authProvider: 'oidc', passwordHash: null, role: 'admin' });
  const created = await prisma().auditEvent.findFirstOrThrow({ where: { subject: `user:${row.id}`, action: 'user.created' } });
  expect(created.actor).toBe(`oidc:${new URL(ISSUER).host}`);
});

test('a user with no mapped group is refused with a clear message and gets no session or account', async ({ page, context }) => {
  const user = idpUser(['marketing']);
  await actAs(context, user);
  await signInWithSso(page);
  await landsOn(page, /\/login\?error=AccessDenied/);
  await expect(loginAlert(page)).toHaveText('Your account has no role in this console: ask an admin');
  expect((await me(page)).status).toBe(401);
  const { prisma } = await lib.prisma();
  expect(await prisma().user.count({ where: { email: user.email } })).toBe(0);
});

test('a group change at the provider changes the role and the mapped teams at the next sign-in', async ({ page, context }) => {
  test.slow(); // three sign-ins through the provider
  const { prisma } = await lib.prisma();
  for (const name of ['oidc-e2e-billing', 'oidc-e2e-shipping']) {
    await prisma().team.upsert({ where: { name }, create: { name, queue: `${name}.fixes` }, update: {} });
  }
  const teamsOf = async (email: string) =>
    (await prisma().teamMember.findMany({ where: { user: { email } }, include: { team: true } })).map((m) => m.team.name).sort();

  const user = idpUser(['sre', 'sre-billing']);
  await actAs(context, user);
  await signInWithSso(page);
  await landsOn(page, /\/$/);
  expect((await me(page)).body?.role).toBe('operator');
  expect(await teamsOf(user.email)).toEqual(['oidc-e2e-billing']);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await actAs(context, { ...user, groups: ['dlq-audit', 'sre-shipping'] });
  await signInWithSso(page);
  await landsOn(page, /\/$/);
  expect((await me(page)).body?.role).toBe('auditor');
  expect(await teamsOf(user.email)).toEqual(['oidc-e2e-shipping']);
  const updated = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'user.updated', subject: `user:${(await me(page)).body!.id}` } });
  expect(updated).toMatchObject({ before: { role: 'operator', teams: ['oidc-e2e-billing'] }, after: { role: 'auditor', teams: ['oidc-e2e-shipping'] } });

  // Out of every mapped group: the next sign-in is refused. (The provider cannot end a
  // session that is already open; an admin can, with sign-out everywhere.)
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await actAs(context, { ...user, groups: [] });
  await signInWithSso(page);
  await expect(loginAlert(page)).toHaveText('Your account has no role in this console: ask an admin');
});

test('an account that signs in with a password is not taken over through single sign-on', async ({ page, context }) => {
  const existing = await createOperator('viewer');
  await actAs(context, idpUser(['dlq-admins'], { email: existing.email }));
  await signInWithSso(page);
  await landsOn(page, /\/login\?error=OidcAccountConflict/);
  await expect(loginAlert(page)).toContainText('signs in with a password here, not through Mock SSO');
  expect((await me(page)).status).toBe(401);
  const { prisma } = await lib.prisma();
  expect(await prisma().user.findUniqueOrThrow({ where: { email: existing.email } })).toMatchObject({ role: 'viewer', authProvider: 'credentials' });
});

test('an unverified email at the provider is refused', async ({ page, context }) => {
  await actAs(context, idpUser(['dlq-admins'], { email_verified: false }));
  await signInWithSso(page);
  await expect(loginAlert(page)).toContainText('has not verified your email address');
  expect((await me(page)).status).toBe(401);
});

test('the login page names the provider but never its issuer or secrets', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in with Mock SSO' })).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain('e2e-only-oidc-client-secret');
  expect(html).not.toContain(ISSUER);
});
