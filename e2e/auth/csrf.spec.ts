import { randomBytes } from 'node:crypto';
import { createToken, expect, test } from '../support/fixtures';

// A state-changing API call made with the session cookie must come from the console's own
// origin (lib/http/check-csrf.ts). Playwright's request context sends no Origin of its own,
// so each call here says where it claims to come from.

const BASE = process.env.E2E_BASE_URL!;
const unique = () => `csrf-${randomBytes(3).toString('hex')}`;
const teamCount = async (name: string) => {
  const { prisma } = await import('../../lib/db/prisma');
  return prisma().team.count({ where: { name } });
};

test('a cross-site POST with a valid session cookie is refused and changes nothing', async ({ page, admin: _ }) => {
  const attempts: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, {}, { origin: 'null' }];
  for (const headers of attempts) {
    const name = unique();
    const response = await page.request.post('/api/v1/teams', { headers, data: { name, queue: 'csrf.q' } });
    expect(response.status(), JSON.stringify(headers)).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'Cross-site request refused (CSRF)' } });
    expect(await teamCount(name)).toBe(0);
  }
  // Reads are not state changes, and the same session may still read.
  expect((await page.request.get('/api/v1/teams', { headers: { origin: 'https://evil.example' } })).status()).toBe(200);
});

test('the same call from the console\'s origin, or with an API token from anywhere, goes through', async ({ page, admin: _ }) => {
  const own = unique();
  expect((await page.request.post('/api/v1/teams', { headers: { origin: BASE }, data: { name: own, queue: 'csrf.q' } })).status()).toBe(201);
  const fetched = unique();
  expect((await page.request.post('/api/v1/teams', { headers: { 'sec-fetch-site': 'same-origin' }, data: { name: fetched, queue: 'csrf.q' } })).status()).toBe(201);
  // A bearer token is never sent by a browser on its own: no origin check.
  const { token } = await createToken('admin');
  const scripted = unique();
  const viaToken = await page.request.post('/api/v1/teams', { headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' }, data: { name: scripted, queue: 'csrf.q' } });
  expect(viaToken.status()).toBe(201);
  expect(await teamCount(scripted)).toBe(1);
});

test('the console\'s own forms pass: an admin adds a team in the browser', async ({ page, admin: _ }) => {
  const name = unique();
  await page.goto('/teams');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Queue').fill('csrf.ui');
  await page.getByRole('button', { name: 'Add team' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`Added team ${name}.`);
  expect(await teamCount(name)).toBe(1);
});
