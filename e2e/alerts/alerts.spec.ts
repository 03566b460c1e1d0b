import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOperator, expect, signInOverHttp, test } from '../support/fixtures';
import { createDeadLetterTopology, screenshotBoth } from '../support/ownership-fixtures';

// An operator adds an alert rule on the Alerts page with a webhook to a receiver this spec
// runs; dead letters arrive faster than the rule allows; the worker (evaluating every
// second in e2e) fires the alert once: the page shows it firing with the webhook sent, and
// the receiver gets one signed delivery with a link to the filtered messages.

test.setTimeout(120_000);

type TDelivery = { headers: IncomingHttpHeaders; body: string };

async function startReceiver() {
  const received: TDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { received, url: `http://127.0.0.1:${port}/hook/SECRET-PATH`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a rule added in the UI fires once to its webhook when dead letters exceed it, and shows firing on /alerts', async ({ page }) => {
  const base = process.env.E2E_BASE_URL!;
  const receiver = await startReceiver();
  const topology = await createDeadLetterTopology('alerts');
  const tag = topology.dlq.slice(-8);
  const name = `Spike ${tag}`;
  try {
    await signInOverHttp(page.request, await createOperator('operator'));
    await page.goto('/alerts');
    await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();

    await page.getByRole('button', { name: 'Add rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an alert rule' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Watch').selectOption('source');
    await dialog.getByLabel('Queue').fill(topology.dlq);
    await dialog.getByLabel('Metric').selectOption('inflow');
    await dialog.getByLabel('Threshold (/min)').fill('0.5');
    await dialog.getByLabel('Window (min)').fill('5');
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByLabel('Signing secret').fill('e2e-signing-secret');
    await expect(dialog.getByText(`inflow/min over 5 min of source ${topology.dlq} > 0.5`)).toBeVisible();
    await screenshotBoth(page, 'alerts-dialog');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await expect(dialog).toBeHidden();
    const ruleRow = page.getByRole('table', { name: 'Alert rules' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    await expect(ruleRow).toContainText('http://127.0.0.1:');
    await expect(ruleRow).toContainText('JSON, signed');
    await expect(ruleRow).not.toContainText('SECRET-PATH');

    // 4 dead letters in 5 minutes: 0.8/min > 0.5.
    await topology.deadLetter(4);
    const openRow = page.getByTestId('open-alert').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await expect(openRow).toContainText('firing', { timeout: 30_000 });
    await expect(openRow).toContainText('0.8/min');
    await expect(openRow).toContainText('> 0.5/min');
    await expect(openRow.getByTestId('notification-firing')).toContainText('sent', { timeout: 30_000 });

    const ours = () => receiver.received.filter((d) => JSON.parse(d.body).subject === topology.dlq);
    await expect.poll(() => ours().length).toBe(1);
    const [delivery] = ours();
    const payload = JSON.parse(delivery!.body);
    expect(payload).toMatchObject({ version: 1, event: 'firing', rule: { name }, subjectKind: 'source', subject: topology.dlq, metric: 'inflow', value: 0.8, limit: 0.5 });
    expect(payload.link).toBe(`${base}/messages?source=${encodeURIComponent(topology.dlq)}`);
    expect(delivery!.headers['x-dlq-event']).toBe('firing');
    expect(delivery!.headers['x-dlq-delivery']).toBe(`${payload.alertId}:firing`);
    expect(delivery!.headers['x-dlq-signature']).toBe(`sha256=${createHmac('sha256', 'e2e-signing-secret').update(delivery!.body).digest('hex')}`);

    // A rule whose receiver is down shows its webhook retrying, with the error.
    const down = await startReceiver();
    await down.close();
    const second = await page.request.post('/api/v1/alert-rules', {
      headers: { origin: base },
      data: { name: `Backlog ${tag}`, subjectKind: 'source', subject: topology.dlq, metric: 'unresolved', comparison: 'above', threshold: 2, webhookUrl: down.url, webhookFormat: 'slack' },
    });
    expect(second.status()).toBe(201);
    const downRow = page.getByTestId('open-alert').filter({ has: page.getByRole('rowheader', { name: `Backlog ${tag}`, exact: true }) });
    await expect(downRow.getByTestId('notification-firing')).toContainText(/retrying \(attempt 1 failed: connection refused/, { timeout: 30_000 });

    // Several evaluations later, still one delivery: the open episode is not notified again.
    const firedAt = payload.firedAt as string;
    await expect.poll(async () => {
      const { open } = await (await page.request.get('/api/v1/alerts')).json();
      const alert = open.find((a: { id: string }) => a.id === payload.alertId);
      return Date.parse(alert.evaluatedAt) - Date.parse(firedAt);
    }, { timeout: 20_000 }).toBeGreaterThan(3_000);
    expect(ours()).toHaveLength(1);

    await page.reload();
    await expect(openRow).toBeVisible();
    await expect(page.getByRole('table', { name: 'Alert rules' }).getByRole('rowheader', { name: `Backlog ${tag}` })).toBeVisible();
    await screenshotBoth(page, 'alerts');

    await openRow.getByRole('link', { name: 'View messages' }).click();
    await expect(page).toHaveURL(`${base}/messages?source=${encodeURIComponent(topology.dlq)}`);

    // Bad input is refused with the field named, and nothing is added.
    const bad = await page.request.post('/api/v1/alert-rules', {
      headers: { origin: base },
      data: { name: 'bad', subjectKind: 'source', subject: topology.dlq, metric: 'unresolved', comparison: 'baseline', threshold: 2 },
    });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.message).toContain('baseline needs history, which only the inflow metric has');
  } finally {
    const rules = (await (await page.request.get('/api/v1/alert-rules')).json()).items as { id: string; name: string; version: number }[];
    for (const r of rules.filter((r) => r.name.endsWith(tag))) await page.request.delete(`/api/v1/alert-rules/${r.id}`, { headers: { origin: base }, data: { version: r.version } });
    await topology.cleanup();
    await receiver.close();
  }
});
