import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { recordAuditEvent } from '../audit/record-audit-event';
import { prisma } from '../db/prisma';
import { AUDITED_TRANSACTION } from '../db/transaction-options';
import { log } from '../log';
import { ALERT_AUDIT } from './alert-audit-actions';
import { deliveryIdOf, signBody, type TAlertEvent } from './alert-payload';
import { maskWebhookUrl, webhookHost } from './alert-rule-dto';
import { AddressNotAllowedError, literalHostProblem, vettedLookup } from './webhook-address';

export type TDeliveryOptions = {
  timeoutMs: number;
  maxAttempts: number;
  /** DLQ_WEBHOOK_ALLOW_PRIVATE: whether loopback and private addresses may receive webhooks (link-local and metadata never may). */
  allowPrivate: boolean;
  batchSize?: number;
  now?: () => Date;
};
export type TDeliveryRound = { claimed: number; sent: number; retrying: number; failed: number };

type TClaimed = { id: bigint; alert_id: string; event: TAlertEvent; url: string; format: string; payload: unknown; attempts: number; lease_until: Date; webhook_secret: string | null };

const MAX_BACKOFF_MS = 10 * 60_000;
const FIRST_BACKOFF_MS = 5_000;

/** The wait before attempt n+1 after n failed ones: 5 s, 10 s, 20 s … at most 10 minutes. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, failedAttempts - 1));
}

/**
 * One round of the webhook deliverer: claims due notifications (FOR UPDATE SKIP LOCKED, then
 * a lease, so a replica that dies mid-POST leaves them to another after the lease), POSTs
 * each, and records the outcome only if it still holds the lease. A 2xx is sent; anything
 * else is retried with backoff, and after maxAttempts the notification has failed (audited).
 * A receiver may still get a repeat (a crash after its 2xx, before we record it): every
 * attempt carries the same X-DLQ-Delivery id for it to drop.
 */
export async function deliverNotifications({ timeoutMs, maxAttempts, allowPrivate, batchSize = 20, now = () => new Date() }: TDeliveryOptions): Promise<TDeliveryRound> {
  const at = now();
  const leaseUntil = new Date(at.getTime() + timeoutMs + 30_000);
  const claimed = await prisma().$queryRaw<TClaimed[]>`
    WITH due AS (
      SELECT id FROM alert_notifications
      WHERE state = 'pending' AND next_attempt_at <= ${at} AND (lease_until IS NULL OR lease_until <= ${at})
        -- A resolution waits for its alert's firing (which may be in backoff): never "resolved" before "firing".
        AND NOT (event = 'resolved' AND EXISTS (
          SELECT 1 FROM alert_notifications f WHERE f.alert_id = alert_notifications.alert_id AND f.event = 'firing' AND f.state = 'pending'))
      ORDER BY next_attempt_at, id
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE alert_notifications n SET lease_until = ${leaseUntil}
    FROM due, alerts a, alert_rules r
    WHERE n.id = due.id AND a.id = n.alert_id AND r.id = a.rule_id
    RETURNING n.id, n.alert_id, n.event, n.url, n.format, n.payload, n.attempts, n.lease_until, r.webhook_secret`;
  const round: TDeliveryRound = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
  // Alerts in parallel, the events of one alert one after another (firing first).
  const byAlert = new Map<string, TClaimed[]>();
  for (const n of claimed) byAlert.set(n.alert_id, [...(byAlert.get(n.alert_id) ?? []), n]);
  await Promise.all([...byAlert.values()].map(async (events) => {
    for (const n of events.sort((a, b) => (a.event === b.event ? 0 : a.event === 'firing' ? -1 : 1))) {
      const outcome = await post(n, timeoutMs, allowPrivate);
      const recorded = await record(n, outcome, now(), maxAttempts);
      if (recorded) round[recorded] += 1;
    }
  }));
  return round;
}

type TOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function post(n: TClaimed, timeoutMs: number, allowPrivate: boolean): Promise<TOutcome> {
  const body = JSON.stringify(n.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'dlq-console-alerts/1',
    'x-dlq-event': n.event,
    'x-dlq-delivery': deliveryIdOf(n.alert_id, n.event),
  };
  if (n.webhook_secret && n.format === 'json') headers['x-dlq-signature'] = signBody(body, n.webhook_secret);
  try {
    const status = await postOnce(new URL(n.url), headers, body, timeoutMs, allowPrivate);
    if (status >= 200 && status < 300) return { ok: true, status };
    return { ok: false, status, error: `HTTP ${status}` };
  } catch (error) {
    return { ok: false, status: null, error: errorCategory(error) };
  }
}

/**
 * One POST, to an address the SSRF policy allows (webhook-address.ts): a literal IP host is
 * checked here, a name inside the connection's own lookup. Redirects are not followed.
 */
function postOnce(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, allowPrivate: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const literal = literalHostProblem(url.hostname, allowPrivate);
    if (literal) return reject(new AddressNotAllowedError(literal));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: 'POST', headers, agent: false, lookup: vettedLookup(allowPrivate) }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * What the operator sees and the audit trail keeps of a failed POST: a coarse category,
 * never the socket's message (it names internal addresses and ports: a network scanner).
 */
export function errorCategory(error: unknown): string {
  if (error instanceof AddressNotAllowedError) return error.message;
  const code = String((error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '');
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timed out';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA' || code === 'EAI_NONAME') return 'DNS lookup failed';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') return 'host unreachable';
  if (/^ERR_TLS|^ERR_SSL|CERT|^DEPTH_ZERO|^SELF_SIGNED|^UNABLE_TO_/.test(code)) return 'TLS error';
  return 'connection failed';
}

async function record(n: TClaimed, outcome: TOutcome, at: Date, maxAttempts: number): Promise<'sent' | 'retrying' | 'failed' | null> {
  const attempts = n.attempts + 1;
  const host = webhookHost(n.url);
  if (outcome.ok) {
    const done = await prisma().$executeRaw`
      UPDATE alert_notifications SET state = 'sent', sent_at = ${at}, attempts = ${attempts}, last_status = ${outcome.status}, last_error = NULL, lease_until = NULL
      WHERE id = ${n.id} AND state = 'pending' AND lease_until = ${n.lease_until}`;
    if (done) log.info('alert notification sent', { notification: n.id, event: n.event, host, attempts });
    return done ? 'sent' : null;
  }
  if (attempts < maxAttempts) {
    const next = new Date(at.getTime() + backoffMs(attempts));
    const done = await prisma().$executeRaw`
      UPDATE alert_notifications SET attempts = ${attempts}, last_status = ${outcome.status}, last_error = ${outcome.error}, next_attempt_at = ${next}, lease_until = NULL
      WHERE id = ${n.id} AND state = 'pending' AND lease_until = ${n.lease_until}`;
    if (done) log.warn('alert notification failed; will retry', { notification: n.id, event: n.event, host, attempts, status: outcome.status, error: outcome.error, retryAt: next.toISOString() });
    return done ? 'retrying' : null;
  }
  const done = await prisma().$transaction(async (tx) => {
    const changed = await tx.$executeRaw`
      UPDATE alert_notifications SET state = 'failed', attempts = ${attempts}, last_status = ${outcome.status}, last_error = ${outcome.error}, lease_until = NULL
      WHERE id = ${n.id} AND state = 'pending' AND lease_until = ${n.lease_until}`;
    if (!changed) return false;
    await recordAuditEvent(tx, {
      actor: 'system:worker', action: ALERT_AUDIT.notificationFailed, subject: `alert:${n.alert_id}`, outcome: 'failed',
      after: { event: n.event, deliveryId: deliveryIdOf(n.alert_id, n.event), webhook: maskWebhookUrl(n.url), attempts, lastStatus: outcome.status, lastError: outcome.error },
    });
    return true;
  }, AUDITED_TRANSACTION);
  if (done) log.error('alert notification failed for good', { notification: n.id, event: n.event, host, attempts, status: outcome.status, error: outcome.error });
  return done ? 'failed' : null;
}
