import { expect, test } from '@playwright/test';
import { createOperator } from '../support/fixtures';

test('a console page without a session sends the operator to sign in', async ({ page }) => {
  await page.goto('/messages');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
});

test('a shared link opened without a session comes back to that page after sign-in', async ({ page }) => {
  const user = await createOperator();
  await page.goto('/messages?reason=expired');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fmessages%3Freason%3Dexpired/);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/messages\?reason=expired$/);
  await expect(page.getByLabel('Reason')).toHaveValue('expired');
});

test('a wrong password is refused with a clear message and no session', async ({ page }) => {
  const user = await createOperator();
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Email or password is incorrect')).toBeVisible();
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
});

test('signing in with the keyboard opens the dashboard; signing out ends the session', async ({ page }) => {
  const user = await createOperator();
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByLabel('Password').press('Enter');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText(user.email)).toBeVisible();
  // The session cookie lives SESSION_MAX_AGE_SECONDS (8 h by default), not forever.
  const session = (await page.context().cookies()).find((c) => c.name.endsWith('next-auth.session-token'));
  expect(session?.httpOnly).toBe(true);
  expect(session!.expires * 1000 - Date.now()).toBeGreaterThan(8 * 3600_000 - 120_000);
  expect(session!.expires * 1000 - Date.now()).toBeLessThan(8 * 3600_000 + 120_000);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  await page.goto('/messages');
  await expect(page).toHaveURL(/\/login/);
});

test('a disabled user loses access at the next request', async ({ page }) => {
  const user = await createOperator();
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  const { prisma } = await import('../../lib/db/prisma');
  await prisma().user.update({ where: { email: user.email }, data: { disabledAt: new Date() } });
  expect((await page.request.get('/api/v1/messages')).status()).toBe(401);
  // A new page is sent to sign in...
  const fresh = await page.context().newPage();
  await fresh.goto('/messages');
  await expect(fresh).toHaveURL(/\/login/);
  // ...and the open list notices at its next refresh (every 10 s) and goes there too.
  await expect(page).toHaveURL(/\/login\?.*expired=1/, { timeout: 20_000 });
});
