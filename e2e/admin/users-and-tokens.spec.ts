import { randomBytes } from 'node:crypto';
import { createToken, expect, signInOverHttp, test } from '../support/fixtures';

// The admin pages for users and API tokens, end to end: what an admin does in the browser
// takes effect for the user or script it concerns at their very next request.

const unique = (label: string) => `${label}-${randomBytes(3).toString('hex')}`;
const SYSTEM = { kind: 'system', name: 'cli' } as const;

test('an admin creates a user in a team, changes their role, disables them: their open session is refused at once', async ({ page, admin: _, browser, baseURL }) => {
  test.slow(); // two browsers, three admin changes, each checked from both sides
  const { createTeam } = await import('../../lib/teams/create-team');
  const team = await createTeam({ actor: SYSTEM, name: unique('billing'), queue: 'billing.fixes' });
  const email = `${unique('ann')}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;

  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByLabel('Role').selectOption('viewer');
  await dialog.getByLabel(team.name).check();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('main').getByRole('status').first()).toHaveText(`Created user ${email}.`);
  const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Viewer');
  await expect(row).toContainText(team.name);
  await expect(row).toContainText('enabled');

  // The user signs in, in a browser of their own.
  const theirs = await browser.newContext({ baseURL });
  const userPage = await theirs.newPage();
  await signInOverHttp(theirs.request, { email, password });
  await userPage.goto('/messages');
  await expect(userPage.getByRole('table', { name: 'Dead letters' })).toBeVisible();
  expect(await (await theirs.request.get('/api/v1/me')).json()).toMatchObject({ email, role: 'viewer' });

  // A new role counts from their next request.
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${email}` });
  await edit.getByLabel('Role').selectOption('operator');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('Operator');
  expect(await (await theirs.request.get('/api/v1/me')).json()).toMatchObject({ role: 'operator', permissions: expect.arrayContaining(['messages:replay']) });

  // Disabling asks once more, then ends the session they hold.
  await row.getByRole('button', { name: 'Disable' }).click();
  await row.getByRole('group', { name: `Disable ${email}?` }).getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('main').getByRole('status').first()).toHaveText(`Disabled ${email}; their sessions end at their next request.`);
  await expect(row).toContainText('disabled');
  expect((await theirs.request.get('/api/v1/me')).status()).toBe(401);
  await userPage.reload();
  await expect(userPage).toHaveURL(/\/login/);
  await theirs.close();

  // The record says who did what.
  const { prisma } = await import('../../lib/db/prisma');
  const user = await prisma().user.findUniqueOrThrow({ where: { email } });
  const actions = await prisma().auditEvent.findMany({ where: { subject: `user:${user.id}` }, orderBy: { id: 'asc' } });
  expect(actions.map((e) => e.action)).toEqual(['user.created', 'user.updated', 'user.disabled']);
});

test('an admin creates a token, shown once; a script uses it until it is revoked', async ({ page, admin: _, baseURL }) => {
  const name = unique('ci-deploy');
  await page.goto('/admin/tokens');
  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Role').selectOption('viewer');
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const shown = page.getByRole('dialog', { name: `Token ${name} created` });
  await expect(shown.getByRole('alert')).toContainText('will not be shown again');
  await expect(shown.getByRole('button', { name: 'Copy the token' })).toBeVisible();
  const secret = (await shown.getByLabel('The new token').textContent())!.trim();
  expect(secret).toMatch(/^dlq_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toHaveCount(0);
  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(secret.slice(0, 10));
  await expect(row).toContainText('active');
  await expect(page.getByText(secret)).toHaveCount(0);

  const call = () => fetch(`${baseURL}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  const before = await call();
  expect(before.status).toBe(200);
  expect(await before.json()).toMatchObject({ kind: 'token', name, role: 'viewer' });

  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('group').getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toContainText('revoked');
  expect((await call()).status).toBe(401);
});

test('the admin API: users, tokens limited to a team, team ownership and members, sources, settings', async ({ request }) => {
  const admin = { authorization: `Bearer ${(await createToken('admin')).token}` };
  const lead = { authorization: `Bearer ${(await createToken('support_lead')).token}` };
  const viewer = { authorization: `Bearer ${(await createToken('viewer')).token}` };
  const teamName = unique('api-team');
  const { team } = await (await request.post('/api/v1/teams', { headers: admin, data: { name: teamName, queue: 'api.fixes' } })).json();

  // Users
  const email = `${unique('api-user')}@example.com`;
  const created = await request.post('/api/v1/users', { headers: admin, data: { email, password: 'a long enough password', role: 'viewer', teams: [teamName], teamScoped: true } });
  expect(created.status()).toBe(201);
  const { user } = await created.json();
  expect(user).toMatchObject({ email, role: 'viewer', teamScoped: true, teams: [{ name: teamName }], disabled: false });
  expect(JSON.stringify(user)).not.toMatch(/password|scrypt/i);
  expect((await request.post('/api/v1/users', { headers: viewer, data: { email: 'x@example.com', password: 'a long enough password', role: 'admin' } })).status()).toBe(403);
  expect((await (await request.post('/api/v1/users', { headers: admin, data: { email, password: 'a long enough password', role: 'viewer' } })).json()).error.message).toBe(`A user with email ${email} already exists`);
  const patched = await request.patch(`/api/v1/users/${user.id}`, { headers: admin, data: { role: 'operator', teams: [] } });
  expect((await patched.json()).user).toMatchObject({ role: 'operator', teams: [] });
  expect((await (await request.patch(`/api/v1/users/${user.id}`, { headers: admin, data: { role: 'root' } })).json()).error.message).toMatch(/"role": role must be one of/);
  expect((await request.put(`/api/v1/users/${user.id}/password`, { headers: admin, data: { password: 'another long password' } })).status()).toBe(200);
  expect((await request.delete(`/api/v1/users/${user.id}/sessions`, { headers: admin })).status()).toBe(200);
  expect((await (await request.post(`/api/v1/users/${user.id}/disable`, { headers: admin })).json()).user.disabled).toBe(true);
  expect((await (await request.post(`/api/v1/users/${user.id}/enable`, { headers: admin })).json()).user.disabled).toBe(false);
  expect((await request.get(`/api/v1/users/${user.id}`, { headers: viewer })).status()).toBe(403);
  expect((await request.get('/api/v1/users/00000000-0000-4000-8000-000000000000', { headers: admin })).status()).toBe(404);

  // Team ownership and members: a support lead may; a viewer may not.
  const queue = unique('api-origin');
  const owned = await request.put(`/api/v1/teams/${team.id}/ownership`, { headers: lead, data: { origins: [queue], sources: [] } });
  expect((await owned.json()).team).toMatchObject({ origins: [queue], sources: [] });
  expect((await request.put(`/api/v1/teams/${team.id}/members`, { headers: lead, data: { users: [email] } })).status()).toBe(200);
  expect((await request.put(`/api/v1/teams/${team.id}/members`, { headers: viewer, data: { users: [] } })).status()).toBe(403);
  expect((await request.patch(`/api/v1/teams/${team.id}`, { headers: lead, data: { contact: 'x' } })).status()).toBe(403);
  const { team: other } = await (await request.post('/api/v1/teams', { headers: admin, data: { name: unique('api-other'), queue: 'q' } })).json();
  const taken = await request.put(`/api/v1/teams/${other.id}/ownership`, { headers: lead, data: { origins: [queue], sources: [] } });
  expect(taken.status()).toBe(409);
  expect((await taken.json()).error.message).toContain(`origin ${queue} (team ${teamName})`);

  // A token limited to the team; the team cannot be deleted while it is active.
  const tokenRes = await request.post('/api/v1/tokens', { headers: admin, data: { name: unique('scoped'), role: 'operator', team: teamName, expiresInDays: 1 } });
  expect(tokenRes.status()).toBe(201);
  const { token, secret } = await tokenRes.json();
  expect(token).toMatchObject({ role: 'operator', team: { name: teamName }, revokedAt: null });
  const me = await (await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).json();
  expect(me.scope).toMatchObject({ origins: [queue], sources: [] });
  expect((await (await request.get('/api/v1/tokens', { headers: admin })).text())).not.toContain(secret);
  expect((await request.delete(`/api/v1/teams/${team.id}`, { headers: admin })).status()).toBe(409);
  const revoked = await request.delete(`/api/v1/tokens/${token.id}`, { headers: admin });
  expect(await revoked.json()).toMatchObject({ alreadyRevoked: false, token: { revokedAt: expect.any(String) } });
  expect(await (await request.delete(`/api/v1/tokens/${token.id}`, { headers: admin })).json()).toMatchObject({ alreadyRevoked: true });
  expect((await request.delete('/api/v1/tokens/not-an-id', { headers: admin })).status()).toBe(404);
  expect((await request.delete(`/api/v1/teams/${team.id}`, { headers: admin })).status()).toBe(200);

  // Sources: add, protect, remove; a queue name with a slash travels percent-encoded.
  const source = `${unique('api')}/dlq`;
  expect((await request.post('/api/v1/sources', { headers: admin, data: { queue: source } })).status()).toBe(201);
  expect((await request.post('/api/v1/sources', { headers: admin, data: { queue: source } })).status()).toBe(409);
  const path = `/api/v1/sources/${encodeURIComponent(source)}`;
  expect(await (await request.patch(path, { headers: admin, data: { protected: true } })).json()).toEqual({ source: { queue: source, protected: true, autoRedirect: false, unmatchedToAllTeams: false } });
  expect((await (await request.get('/api/v1/sources', { headers: viewer })).json()).items).toContainEqual(expect.objectContaining({ queue: source, protected: true }));
  expect((await request.patch(path, { headers: lead, data: { protected: false } })).status()).toBe(403);
  expect((await request.delete(path, { headers: admin })).status()).toBe(200);
  expect((await request.delete(path, { headers: admin })).status()).toBe(404);

  // Settings: everyone who reads messages sees them; admins change them.
  const { settings } = await (await request.get('/api/v1/settings', { headers: viewer })).json();
  expect(settings.approvalThreshold).toBeGreaterThanOrEqual(1);
  expect((await request.patch('/api/v1/settings', { headers: viewer, data: { approvalThreshold: 5 } })).status()).toBe(403);
  const bad = await request.patch('/api/v1/settings', { headers: admin, data: { approvalThreshold: 0 } });
  expect((await bad.json()).error.message).toBe('"approvalThreshold": approvalThreshold must be at least 1');
  // Setting the value it has changes nothing, so specs running beside this one are not disturbed.
  expect((await request.patch('/api/v1/settings', { headers: admin, data: { approvalThreshold: settings.approvalThreshold } })).status()).toBe(200);
});
