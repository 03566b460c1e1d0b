import type { Page, Response } from '@playwright/test';
import { createOperator, expect, signInOverHttp, test } from '../support/fixtures';

// Every page carries a nonce-based Content-Security-Policy (proxy.ts), and the console
// still works under it: no violation, and the page hydrates (its buttons act).

function cspOf(response: Response | null) {
  const csp = response?.headers()['content-security-policy'] ?? '';
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
  return { csp, directives };
}

function expectStrictCsp(response: Response | null) {
  const { csp, directives } = cspOf(response);
  const scriptSrc = directives.get('script-src') ?? [];
  const nonce = scriptSrc.find((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v));
  expect(nonce, csp).toBeTruthy();
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(directives.get('base-uri')).toEqual(["'none'"]);
  expect(directives.get('default-src')).toEqual(["'self'"]);
  const headers = response!.headers();
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['permissions-policy']).toContain('camera=()');
  expect(headers['strict-transport-security'], 'no HSTS on a plain-http console').toBeUndefined();
  return nonce!.slice("'nonce-".length, -1);
}

/** Collects CSP violations (the DOM event, and Chromium's console report) and page errors. */
async function watchViolations(page: Page) {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  page.on('console', (m) => {
    if (/Content.Security.Policy|CSP violation|Refused to (execute|load|apply|connect|frame)/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

test('the login page has a strict CSP with a fresh nonce on every script, and hydrates without a violation', async ({ page }) => {
  const problems = await watchViolations(page);
  const response = await page.goto('/login');
  const nonce = expectStrictCsp(response);
  const html = await response!.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, 'every script carries the nonce').toContain(`nonce="${nonce}"`);
  // The password button is disabled until React has hydrated the form.
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  const again = expectStrictCsp(await page.reload());
  expect(again, 'a new nonce per request').not.toBe(nonce);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  expect(problems).toEqual([]);
});

test('the messages page has the same CSP and works under it: the theme toggle and a filter act after load', async ({ page }) => {
  const problems = await watchViolations(page);
  await signInOverHttp(page.request, await createOperator('viewer'));
  const response = await page.goto('/messages');
  expectStrictCsp(response);
  await expect(page.getByRole('table', { name: 'Dead letters' })).toBeVisible();
  await page.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await page.getByLabel('Reason').selectOption('expired');
  await expect(page).toHaveURL(/reason=expired/);
  // A client-side navigation loads more chunks: 'strict-dynamic' must let them in.
  await page.getByRole('link', { name: 'Sources' }).click();
  await expect(page).toHaveURL(/\/sources/);
  await expect(page.getByRole('link', { name: 'Sources' })).toHaveAttribute('aria-current', 'page');
  expect(problems).toEqual([]);
});

test('a page that does not exist is covered too, and API answers may not run or frame anything', async ({ page, request }) => {
  const problems = await watchViolations(page);
  const missing = await page.goto('/no-such-page');
  expect(missing?.status()).toBe(404);
  expectStrictCsp(missing);
  expect(problems).toEqual([]);
  const api = await request.get('/api/v1/health');
  expect(api.headers()['content-security-policy']).toContain("default-src 'none'");
  expect(api.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(api.headers()['x-frame-options']).toBe('DENY');
});
