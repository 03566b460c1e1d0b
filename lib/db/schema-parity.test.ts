import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/test-database';
import { prisma } from './prisma';

// The migrations are hand-written SQL (docs/decisions/0001-migrations-as-sql.md). This
// proves they and schema.prisma agree: every model is written with every field set and
// read back unchanged, and every column of the database is one the schema knows.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => { db = await createTestDatabase('parity'); });
afterAll(async () => db?.drop());

const at = new Date('2026-01-02T03:04:05.678Z');

it('round-trips every field of every model', async () => {
  const p = prisma();
  const user = {
    email: 'a@example.com', name: 'A', passwordHash: 'scrypt$x', role: 'admin', disabledAt: at, createdAt: at, updatedAt: at,
    authProvider: 'credentials', teamScoped: true, sessionsValidAfter: at,
  };
  const createdUser = await p.user.create({ data: user, omit: { passwordHash: false } });
  expect(createdUser).toMatchObject(user);

  const source = { queue: 'q', createdAt: at, lastError: 'boom', lastErrorAt: at, protected: true, autoRedirect: true, unmatchedToAllTeams: true };
  expect(await p.source.create({ data: source })).toEqual(source);

  const message = {
    sourceQueue: 'q', fingerprint: Uint8Array.from([1, 2, 3]), redelivered: true, status: 'replayed' as const, originQueue: 'o', reason: 'delivery_limit' as const,
    exchange: 'x', routingKeys: ['a', 'b'], deathCount: 3, firstDeathAt: at, lastDeathAt: at,
    firstDeath: { queue: 'o' }, lastDeath: { queue: 'o2' }, messageId: 'm', correlationId: 'c', contentType: 'application/json',
    contentEncoding: 'gzip', size: 2, isLarge: true, body: Uint8Array.from([0, 255]), properties: { a: 1 }, headers: { h: { type: 'void' } },
    xDeath: [{ queue: 'o' }], deliveryExchange: 'dlx', deliveryRoutingKey: 'rk', ingestedAt: at,
    version: 4, statusBeforeDiscard: 'failed' as const, replayId: '00000000-0000-4000-8000-000000000009', originalMessageId: 77n, replayCount: 2,
  };
  const createdMessage = await p.message.create({ data: message, omit: { body: false } });
  expect(createdMessage).toMatchObject({ ...message, fingerprint: expect.anything(), body: expect.anything() });
  expect(Buffer.from(createdMessage.body).equals(Buffer.from([0, 255]))).toBe(true);
  expect(Buffer.from(createdMessage.fingerprint).equals(Buffer.from([1, 2, 3]))).toBe(true);
  expect(typeof createdMessage.id).toBe('bigint');
  const search = { messageId: createdMessage.id, searchText: 'm c a b', bodyJson: { a: [1] } };
  expect(await p.messageSearch.create({ data: search })).toEqual(search);

  const event = {
    at, actor: 'user:a', action: 'source.added', subject: 'source:q', reason: 'why', before: { a: 1 }, after: { b: 2 },
    messageId: createdMessage.id, requestId: 'r-1', target: 'queue q', result: 'confirmed', sourceQueue: 'q', originQueue: 'o', outcome: 'succeeded',
  };
  const createdEvent = await p.auditEvent.create({ data: event });
  expect(createdEvent).toMatchObject(event);
  expect(createdEvent.hash).toHaveLength(32);
  expect(createdEvent.prevHash).toHaveLength(32);

  const revision = { messageId: createdMessage.id, number: 1, body: Uint8Array.from([9]), size: 1, headers: { h: { type: 'void' } }, author: 'user:a', reason: 'fix', createdAt: at };
  const createdRevision = await p.messageRevision.create({ data: revision, omit: { body: false } });
  expect(createdRevision).toMatchObject({ ...revision, body: expect.anything() });
  expect(Buffer.from(createdRevision.body).equals(Buffer.from([9]))).toBe(true);

  const team = { name: 'billing', queue: null, exchange: 'x', routingKey: 'rk', contact: '#billing', createdAt: at, updatedAt: at };
  const createdTeam = await p.team.create({ data: team });
  expect(createdTeam).toMatchObject(team);
  const token = {
    name: 't', tokenHash: 'h', prefix: 'dlq_abc', role: 'viewer', createdBy: 'user:a', createdAt: at, expiresAt: at, revokedAt: at, lastUsedAt: at, teamId: createdTeam.id,
  };
  expect(await p.apiToken.create({ data: token, omit: { tokenHash: false } })).toMatchObject(token);
  const member = { teamId: createdTeam.id, userId: createdUser.id, createdAt: at };
  expect(await p.teamMember.create({ data: member })).toEqual(member);
  const ownership = { kind: 'origin', queue: 'o', teamId: createdTeam.id, createdAt: at };
  expect(await p.teamOwnership.create({ data: ownership })).toEqual(ownership);
  const settings = { approvalThreshold: 7, updatedBy: 'user:a', updatedAt: at };
  expect(await p.settings.update({ where: { id: true }, data: settings })).toEqual({ id: true, ...settings });
  const rule = { id: '00000000-0000-4000-8000-000000000010', kind: 'json_path', pattern: '$.card.number', createdBy: 'user:a', createdAt: at };
  expect(await p.redactionRule.create({ data: rule })).toEqual(rule);
  const approval = {
    id: '00000000-0000-4000-8000-000000000011', kind: 'replay', status: 'approved', input: { target: null }, messageIds: [createdMessage.id],
    grounds: ['threshold', 'protected:q'], reason: 'why', requestedBy: 'user:a', requestedByKey: 'user:1', requestedAt: at, decidedBy: 'user:b',
    decidedByKey: 'user:2', decidedAt: at, decisionReason: 'ok', executedAt: at, result: { succeeded: 1 }, jobId: null,
  };
  expect(await p.approvalRequest.create({ data: approval })).toEqual(approval);
  const throttle = { key: 'email:a@example.com', windowStart: at, failures: 3 };
  expect(await p.loginThrottle.create({ data: throttle })).toEqual(throttle);
  const sandbox = { name: 'staging', url: 'amqp://u:p@h/v', createdAt: at, updatedAt: at };
  expect(await p.sandbox.create({ data: sandbox, omit: { url: false } })).toMatchObject(sandbox);
  const contract = { originQueue: 'o', schema: { type: 'object' }, updatedBy: 'user:a', createdAt: at, updatedAt: at };
  expect(await p.contract.create({ data: contract })).toEqual(contract);
  const dispatch = {
    id: '00000000-0000-4000-8000-000000000001', actionId: '00000000-0000-4000-8000-000000000002', messageId: createdMessage.id, kind: 'redirect',
    revisionId: createdRevision.id, exchange: 'x', routingKey: 'rk', teamId: createdTeam.id, teamName: 'billing',
    sandboxId: '00000000-0000-4000-8000-000000000003', sandboxName: 's', replayCount: 3, state: 'failed', attempts: 2, nextAttemptAt: at,
    leaseUntil: at, lastError: 'returned', actor: 'user:a', reason: 'why', createdAt: at, settledAt: at,
  };
  expect(await p.dispatch.create({ data: dispatch })).toEqual(dispatch);
  const idempotent = { actor: 'user:a', key: 'k', requestHash: 'h', status: 200, response: { a: 1 }, createdAt: at };
  expect(await p.idempotentRequest.create({ data: idempotent })).toEqual(idempotent);
});

it('round-trips the triage models: groups, rules, runbooks, jobs, retention', async () => {
  const p = prisma();
  const m = await p.message.findFirstOrThrow();
  const team = await p.team.findFirstOrThrow();
  const group = {
    signature: Uint8Array.from([4, 5]), originQueue: 'o', reason: 'rejected' as const, exceptionType: 'TimeoutException', exceptionMessage: 'timed out after <n> ms',
    framework: 'spring', firstSeenAt: at, lastSeenAt: at, messageCount: 12n, sampleMessageId: m.id, category: 'transient', suggestedAction: 'replay',
    categoryRuleId: '00000000-0000-4000-8000-000000000020', createdAt: at, repeatedDeaths: true,
  };
  const createdGroup = await p.failureGroup.create({ data: group });
  expect(createdGroup).toMatchObject({ ...group, signature: expect.anything() });
  const categoryRule = { id: '00000000-0000-4000-8000-000000000020', position: 1, field: 'any', pattern: 'timeout', category: 'transient', suggestedAction: 'replay', createdBy: 'user:a', createdAt: at };
  expect(await p.failureCategoryRule.create({ data: categoryRule })).toEqual(categoryRule);
  const runbook = { kind: 'origin', key: 'o', url: 'https://runbooks.example/o', updatedBy: 'user:a', updatedAt: at };
  expect(await p.runbook.create({ data: runbook })).toEqual(runbook);
  const ownershipRule = {
    id: '00000000-0000-4000-8000-000000000021', position: 1, teamId: team.id, matchKind: 'json_path', matchKey: '$.kind', pattern: 'refund', enabled: false,
    createdBy: 'user:a', createdAt: at, updatedAt: at,
  };
  expect(await p.ownershipRule.create({ data: ownershipRule })).toEqual(ownershipRule);
  const messageFields = {
    groupId: createdGroup.id, exceptionType: 'TimeoutException', exceptionMessage: 'timed out after 30 ms',
    ownerTeamId: team.id, ownerRuleId: ownershipRule.id, ownerCheckedAt: at,
  };
  expect(await p.message.update({ where: { id: m.id }, data: messageFields })).toMatchObject(messageFields);
  const job = {
    id: '00000000-0000-4000-8000-000000000022', kind: 'replay', status: 'paused', input: { reason: 'fixed' }, selection: { filter: { source: 'q' } },
    total: 5000, done: 10, failed: 1, ratePerSecond: 200, canarySize: 5, canaryWaitMs: 60000, canaryUntil: at, haltReason: 'canary died again',
    reason: 'fixed', createdBy: 'user:a', createdByKey: 'user:1', scopeTeamIds: [team.id], version: 3, leaseOwner: 'worker-1', leaseUntil: at,
    createdAt: at, startedAt: at, finishedAt: at, updatedAt: at, canaryPassedAt: at,
  };
  expect(await p.bulkJob.create({ data: job })).toEqual(job);
  const item = { jobId: job.id, position: 0, messageId: m.id, state: 'done', canary: true, actionId: '00000000-0000-4000-8000-000000000023', error: 'x', processedAt: at };
  expect(await p.bulkJobItem.create({ data: item })).toEqual(item);
  const approval = await p.approvalRequest.findFirstOrThrow();
  expect(await p.approvalRequest.update({ where: { id: approval.id }, data: { jobId: job.id } })).toMatchObject({ jobId: job.id });
  const retention = { sourceQueue: '*', status: 'discarded' as const, days: 30, updatedBy: 'user:a', updatedAt: at };
  expect(await p.retentionPolicy.create({ data: retention })).toEqual(retention);
  const alertRule = {
    id: '00000000-0000-4000-8000-000000000030', name: 'orders inflow', subjectKind: 'origin', subject: 'orders', metric: 'inflow', comparison: 'baseline',
    threshold: 3, minValue: 10, windowMinutes: 5, forMinutes: 2, webhookUrl: 'https://hooks.example/x', webhookFormat: 'slack', webhookSecret: 's',
    enabled: false, createdBy: 'user:a', createdAt: at, updatedAt: at, version: 2, evaluatedAt: at,
  };
  expect(await p.alertRule.create({ data: alertRule })).toEqual(alertRule);
  const alert = {
    id: '00000000-0000-4000-8000-000000000031', ruleId: alertRule.id, subject: 'orders', state: 'firing', value: 42.5, baseline: 4, limitValue: 12,
    pendingSince: at, firedAt: at, resolvedAt: at, evaluatedAt: at,
  };
  expect(await p.alert.create({ data: alert })).toEqual(alert);
  const notification = {
    alertId: alert.id, event: 'firing', url: 'https://hooks.example/x', format: 'slack', payload: { text: 'x' }, state: 'failed', attempts: 3,
    nextAttemptAt: at, leaseUntil: at, lastStatus: 500, lastError: 'boom', createdAt: at, sentAt: at,
  };
  expect(await p.alertNotification.create({ data: notification })).toMatchObject(notification);
  const inflow = { bucket: at, sourceQueue: 'q', originQueue: 'o', count: 7, backfilled: true };
  expect(await p.inflowCount.create({ data: inflow })).toEqual(inflow);
  const counted = { id: true, countedFrom: at, countedTo: new Date(at.getTime() + 60_000), updatedAt: at };
  expect(await p.inflowCounterState.create({ data: counted })).toEqual(counted);
  await expect(p.$executeRaw`INSERT INTO inflow_counter_state (id, counted_from, counted_to) VALUES (false, now(), now())`).rejects.toThrow(/check/i);
  await expect(p.$executeRaw`UPDATE inflow_counter_state SET counted_to = counted_from - interval '1 minute'`).rejects.toThrow(/check/i);
  const heartbeat = { workerId: 'host:1:abc', hostname: 'host', pid: 1, startedAt: at, seenAt: at, consuming: ['q'], brokerDownSince: at };
  expect(await p.workerHeartbeat.create({ data: heartbeat })).toEqual(heartbeat);
});

it('keeps when a status last changed, and the search vector, in the database', async () => {
  const p = prisma();
  const m = await p.message.create({ data: {
    sourceQueue: 'q', fingerprint: Uint8Array.from([7]), reason: 'rejected', routingKeys: [], deathCount: 1, size: 1, isLarge: false, body: Uint8Array.from([1]),
    properties: {}, headers: {}, xDeath: [], deliveryExchange: '', deliveryRoutingKey: 'q', statusChangedAt: at,
    search: { create: { searchText: 'Invoice 42 overdue' } },
  } });
  await p.message.update({ where: { id: m.id }, data: { version: 2 } });
  expect((await p.message.findUniqueOrThrow({ where: { id: m.id } })).statusChangedAt).toEqual(at);
  await p.message.update({ where: { id: m.id }, data: { status: 'discarded' } });
  expect((await p.message.findUniqueOrThrow({ where: { id: m.id } })).statusChangedAt.getTime()).toBeGreaterThan(at.getTime());
  const [hit] = await p.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM message_search WHERE message_id = ${m.id} AND search_vector @@ plainto_tsquery('simple', 'invoice')`;
  expect(hit!.n).toBe(1n);
  // The search row goes with its message (retention deletes messages only).
  await p.message.delete({ where: { id: m.id } });
  expect(await p.messageSearch.count({ where: { messageId: m.id } })).toBe(0);
});

it('has no column the schema does not know, and no table either', async () => {
  const columns = await prisma().$queryRaw<{ table_name: string; n: bigint }[]>`
    SELECT table_name, count(*) AS n FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' GROUP BY table_name ORDER BY table_name`;
  // Field counts of the models in schema.prisma; a new column must come with a new field.
  expect(Object.fromEntries(columns.map((c) => [c.table_name, Number(c.n)]))).toEqual({
    alert_notifications: 14, alert_rules: 19, alerts: 11, api_tokens: 11, approval_requests: 17, audit_chain_head: 4, audit_events: 17, bulk_job_items: 8, bulk_jobs: 25, contracts: 5,
    dispatches: 21, failure_category_rules: 8, failure_groups: 16, idempotent_requests: 6, inflow_counter_state: 4, inflow_counts: 5, login_throttle: 3, message_revisions: 9,
    message_search: 4, messages: 39, ownership_rules: 10, redaction_rules: 5, retention_policies: 5, runbooks: 5, sandboxes: 5, settings: 4, sources: 7,
    team_members: 3, team_ownerships: 4, teams: 8, users: 11, worker_heartbeats: 7,
  });
});

it('refuses to change a revision', async () => {
  const p = prisma();
  const m = await p.message.findFirstOrThrow();
  const { id } = await p.messageRevision.create({ data: { messageId: m.id, number: 99, body: Uint8Array.from([1]), size: 1, headers: {}, author: 'a' } });
  await expect(p.$executeRaw`UPDATE message_revisions SET body = '\x02' WHERE id = ${id}`).rejects.toThrow(/immutable/);
  await expect(p.$executeRaw`DELETE FROM message_revisions WHERE id = ${id}`).rejects.toThrow(/immutable/);
  await expect(p.$executeRaw`TRUNCATE message_revisions CASCADE`).rejects.toThrow(/immutable/);
  expect(await p.messageRevision.count({ where: { id } })).toBe(1);
});

it('removes a message with its revisions and dispatches (retention)', async () => {
  const p = prisma();
  const m = await p.message.create({
    data: {
      sourceQueue: 'q', fingerprint: Uint8Array.from([7]), reason: 'rejected', routingKeys: [], deathCount: 1, size: 0, isLarge: false,
      body: Uint8Array.from([]), properties: {}, headers: {}, xDeath: [], deliveryExchange: '', deliveryRoutingKey: '',
    },
  });
  const r = await p.messageRevision.create({ data: { messageId: m.id, number: 1, body: Uint8Array.from([1]), size: 1, headers: {}, author: 'a' } });
  await p.dispatch.create({ data: { id: '00000000-0000-4000-8000-0000000000aa', actionId: '00000000-0000-4000-8000-0000000000ab', messageId: m.id, kind: 'replay', revisionId: r.id, exchange: '', routingKey: 'q', replayCount: 1, actor: 'a' } });
  await p.message.delete({ where: { id: m.id } });
  expect(await p.messageRevision.count({ where: { messageId: m.id } })).toBe(0);
  expect(await p.dispatch.count({ where: { messageId: m.id } })).toBe(0);
});

it('refuses to change or delete audit events', async () => {
  const p = prisma();
  const { id } = await p.auditEvent.create({ data: { actor: 'system:cli', action: 'source.added' } });
  await expect(p.$executeRaw`UPDATE audit_events SET actor = 'someone else' WHERE id = ${id}`).rejects.toThrow(/append-only/);
  await expect(p.$executeRaw`DELETE FROM audit_events WHERE id = ${id}`).rejects.toThrow(/append-only/);
  await expect(p.$executeRaw`TRUNCATE audit_events`).rejects.toThrow(/append-only/);
  expect(await p.auditEvent.findUnique({ where: { id } })).toMatchObject({ actor: 'system:cli' });
});
