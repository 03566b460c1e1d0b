import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
  createOperator, createOwningTeam, createScopedOperator, expect, seedDeadLetters, signInOverHttp, test,
} from '../support/fixtures';

// Each role signed in, in the browser: what the navigation offers, which actions the
// message page shows, and what a page the role cannot use says when opened by URL.
// One screenshot per role in test-results/screenshots for a person to look at.

type TRole = 'viewer' | 'operator' | 'support_lead' | 'auditor' | 'admin';
const DIR = 'test-results/screenshots';
const MAIN_LINKS = ['Dashboard', 'Messages', 'Groups', 'Jobs', 'Alerts', 'Sources', 'Approvals', 'Audit', 'Teams', 'Sandboxes', 'Contracts'];
const ADMIN_LINKS = ['Users', 'Tokens', 'Redaction', 'Settings', 'Ownership rules', 'Failure categories', 'Retention', 'Audit integrity'];
const ACTIONS = ['Edit', 'Replay', 'Redirect', 'Discard'];

const EXPECTED: Record<TRole, { label: string; links: string[]; admin: string[]; actions: string[] }> = {
  viewer: { label: 'Viewer', links: ['Dashboard', 'Messages', 'Groups', 'Jobs', 'Alerts', 'Sources', 'Approvals', 'Teams', 'Contracts'], admin: [], actions: [] },
  operator: { label: 'Operator', links: ['Dashboard', 'Messages', 'Groups', 'Jobs', 'Alerts', 'Sources', 'Approvals', 'Teams', 'Contracts'], admin: [], actions: ['Edit', 'Replay', 'Discard'] },
  support_lead: {
    label: 'Support lead', links: ['Dashboard', 'Messages', 'Groups', 'Jobs', 'Alerts', 'Sources', 'Approvals', 'Teams', 'Contracts'], admin: ['Ownership rules'], actions: ['Redirect'],
  },
  auditor: {
    label: 'Auditor', links: ['Dashboard', 'Messages', 'Groups', 'Jobs', 'Alerts', 'Sources', 'Approvals', 'Audit', 'Teams', 'Contracts'],
    admin: ['Users', 'Redaction', 'Failure categories', 'Retention', 'Audit integrity'], actions: [],
  },
  admin: { label: 'Admin', links: MAIN_LINKS, admin: ADMIN_LINKS, actions: ACTIONS },
};

let seeded: Awaited<ReturnType<typeof seedDeadLetters>>;
let other: Awaited<ReturnType<typeof seedDeadLetters>>;

// Each test signs in and renders whole pages: on a busy two-core machine that takes a while.
test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  seeded = await seedDeadLetters('roles', [{ body: '{"orderId":"ord-1"}', contentType: 'application/json', messageId: 'roles-1' }]);
  other = await seedDeadLetters('roles-other', [{ body: '{"orderId":"ord-2"}', contentType: 'application/json', messageId: 'roles-2' }]);
  mkdirSync(DIR, { recursive: true });
});
test.afterAll(async () => Promise.all([seeded?.cleanup(), other?.cleanup()]));

async function expectNav(page: Page, expected: (typeof EXPECTED)[TRole]) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of MAIN_LINKS) {
    await expect(nav.getByRole('link', { name, exact: true }), `${name} link`).toHaveCount(expected.links.includes(name) ? 1 : 0);
  }
  const adminButton = nav.getByRole('button', { name: 'Admin' });
  if (expected.admin.length === 0) {
    await expect(adminButton).toHaveCount(0);
    return;
  }
  await adminButton.click();
  await expect(adminButton).toHaveAttribute('aria-expanded', 'true');
  for (const name of ADMIN_LINKS) {
    await expect(nav.getByRole('link', { name, exact: true }), `${name} in the Admin menu`).toHaveCount(expected.admin.includes(name) ? 1 : 0);
  }
  await page.keyboard.press('Escape');
  await expect(adminButton).toHaveAttribute('aria-expanded', 'false');
}

for (const role of Object.keys(EXPECTED) as TRole[]) {
  test(`${role}: sees only the links and message actions the role may use`, async ({ page }) => {
    const expected = EXPECTED[role];
    const user = await createOperator(role);
    await signInOverHttp(page.request, user);
    await page.goto(`/messages/${seeded.idOf('roles-1')}`);
    // The first page of a cold server on a busy machine can take a while.
    await expect(page.getByRole('heading', { name: 'Body' })).toBeVisible({ timeout: 30_000 });
    const banner = page.getByRole('banner');
    await expect(banner.getByText(user.email)).toBeVisible();
    await expect(banner.getByTestId('role')).toHaveText(expected.label);
    await expect(banner.getByText(/limited to/)).toHaveCount(0);
    await expectNav(page, expected);

    if (expected.actions.length === 0) {
      await expect(page.getByText('View only: your role cannot change messages.')).toBeVisible();
      await expect(page.getByRole('toolbar', { name: 'Message actions' })).toHaveCount(0);
    } else {
      const toolbar = page.getByRole('toolbar', { name: 'Message actions' });
      for (const name of ACTIONS) {
        await expect(toolbar.getByRole('button', { name, exact: true }), `${name} button`).toHaveCount(expected.actions.includes(name) ? 1 : 0);
      }
    }

    if (expected.admin.length > 0) await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
    await page.screenshot({ path: `${DIR}/role-${role}.png` });
  });
}

/** Pages the navigation does not offer a viewer, opened by URL anyway, and what each says it needs. */
const NOT_FOR_VIEWERS: [string, string][] = [
  ['/audit', 'audit:read'],
  ['/sandboxes', 'sandboxes:manage or messages:replay'],
  ['/admin/redaction', 'redaction:manage or audit:read'],
  ['/admin/audit-integrity', 'audit:read'],
];

test('an auditor opens the audit record; a viewer who opens it or an admin page by URL is told why not', async ({ page, browser }) => {
  await signInOverHttp(page.request, await createOperator('auditor'));
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Audit record' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("You don't have access to this page")).toHaveCount(0);

  const viewer = await browser.newPage();
  await signInOverHttp(viewer.request, await createOperator('viewer'));
  for (const [path, needs] of NOT_FOR_VIEWERS) {
    await viewer.goto(path);
    await expect(viewer.getByRole('main').getByRole('alert'), path).toContainText(`You don't have access to this page (needs ${needs})`);
  }
  await expect(viewer.getByRole('table', { name: 'Sandboxes' })).toHaveCount(0);
  await viewer.screenshot({ path: `${DIR}/role-viewer-forbidden.png` });
  await viewer.close();
});

test('the Admin menu works from the keyboard', async ({ page, admin: _ }) => {
  await page.goto('/messages');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const button = nav.getByRole('button', { name: 'Admin' });
  await button.focus();
  await page.keyboard.press('ArrowDown');
  await expect(nav.getByRole('link', { name: 'Users', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(nav.getByRole('link', { name: 'Tokens', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(nav.getByRole('link', { name: 'Audit integrity', exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(button).toBeFocused();
  await expect(nav.getByRole('link', { name: 'Users', exact: true })).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(nav.getByRole('link', { name: 'Users', exact: true })).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/admin\/users$/);
});

test('a team-scoped operator is told whose queues it is limited to and cannot open another team\'s message', async ({ page }) => {
  const team = await createOwningTeam({ origins: [seeded.work] });
  await createOwningTeam({ origins: [other.work] });
  await signInOverHttp(page.request, await createScopedOperator([team.id]));
  await page.goto(`/messages/${seeded.idOf('roles-1')}`);
  await expect(page.getByRole('heading', { name: 'Body' })).toBeVisible();
  await expect(page.getByRole('banner').getByText(`limited to ${team.name}`)).toBeVisible();
  await expect(page.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Replay' })).toBeVisible();

  const response = await page.request.get(`/api/v1/messages/${other.idOf('roles-2')}`);
  expect(response.status()).toBe(404);
  await page.goto(`/messages/${other.idOf('roles-2')}`);
  // Exactly what a message that does not exist shows: nothing says it is another team's.
  await expect(page.getByRole('main').getByRole('alert')).toContainText('This message does not exist');
  await page.screenshot({ path: `${DIR}/role-operator-scoped.png` });
});
