import { createOperator, expect, test } from '../support/fixtures';

// The login page after too many failed sign-ins for one email (LOGIN_MAX_FAILURES_PER_EMAIL,
// 10 by default): the right password is refused too, and the page says for how long.
test('after 10 failed sign-ins even the right password is refused, with how long to wait', async ({ page }) => {
  test.slow(); // eleven scrypt checks
  const user = await createOperator();
  const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  for (let i = 0; i < 10; i++) {
    const response = await page.request.post('/api/auth/callback/credentials', { form: { csrfToken, email: user.email, password: 'wrong-password', json: 'true' } });
    expect(((await response.json()) as { url: string }).url).toContain('error=CredentialsSignin');
  }
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveText(/^Too many failed sign-ins; try again in 1[45] minutes$/);
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
});
