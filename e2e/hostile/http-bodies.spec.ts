import { request as httpRequest } from 'node:http';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { BODIES, mutatingRoutes, NO_SUCH_UUID, type TMethod } from './http-routes';
import { openProbe, startHostileConsole, storeMessage, tokenContext, type THostileConsole, type TRawAnswer } from './http-support';

// Every state-changing API route, sent bodies it must refuse: malformed JSON, the wrong
// type at the top and in a field, a field it does not have, more bytes than the limit.
// Each answer must be a 4xx JSON error naming the problem, and the database (every table,
// the audit record included) must be exactly as it was. Routes are read from
// app/api/v1/**/route.ts, so a new route without an entry in BODIES fails here.

/** A value of another JSON type than the one given. */
function wrongTypeOf(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return 12345;
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not a list';
  return 7;
}

let server: THostileConsole;
let admin: APIRequestContext & { authorization: string };
let messageId: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startHostileConsole();
  admin = await tokenContext(server, 'admin');
  messageId = await storeMessage(server, { originQueue: 'hostile.orders' });
});

test.afterAll(async () => {
  await admin?.dispose();
  await server?.stop();
});

function urlOf(route: string): string {
  const filled = route.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    if (name === 'queue') return 'hostile.no-such-queue';
    return route.startsWith('messages/') ? messageId : NO_SUCH_UUID;
  });
  // DELETE contracts names its origin in the query; the body must still be refused first.
  return `/api/v1/${filled}${route === 'contracts' ? '?origin=hostile.orders' : ''}`;
}

function split(key: string): { method: TMethod; route: string } {
  const [method, route] = key.split(' ') as [TMethod, string];
  return { method, route };
}

test('the table names every state-changing route there is', () => {
  const found = mutatingRoutes();
  expect(found.filter((k) => !(k in BODIES)), 'routes with no entry in BODIES').toEqual([]);
  expect(Object.keys(BODIES).filter((k) => !found.includes(k)), 'BODIES entries with no route').toEqual([]);
});

test('malformed JSON, wrong types and unknown fields: a 400 naming the problem, nothing changed', async () => {
  test.setTimeout(240_000);
  const probe = await openProbe(server);
  try {
    for (const key of Object.keys(BODIES).sort()) {
      const { method, route } = split(key);
      const url = urlOf(route);
      // A Buffer goes as it is: Playwright would encode a string as a JSON string.
      const send = (data: string) => () => admin.fetch(url, { method, headers: { 'content-type': 'application/json' }, data: Buffer.from(data) });
      await probe.send(`${key}: malformed JSON`, send('{"version": 1, "reason": '), { status: [400], message: /not valid JSON/ });
      await probe.send(`${key}: a list instead of an object`, send('[1, 2]'), { status: [400], message: /expected object|Body/ });
      const sample = BODIES[key] ?? {};
      await probe.send(`${key}: unknown field`, send(JSON.stringify({ ...sample, hostileExtra: true })), { status: [400], message: /Unknown field (".*", )?"hostileExtra"/ });
      const [field, value] = Object.entries(sample)[0] ?? [];
      if (field) {
        await probe.send(`${key}: "${field}" of the wrong type`, send(JSON.stringify({ ...sample, [field]: wrongTypeOf(value) })), { status: [400], message: new RegExp(`"${field}`) });
      }
      await probe.send(`${key}: not declared as JSON`, () => admin.fetch(url, { method, headers: { 'content-type': 'text/plain' }, data: Buffer.from(JSON.stringify(sample)) }), {
        status: [400], message: /Content-Type: application\/json/,
      });
    }
  } finally {
    await probe.close();
  }
  expect(probe.problems).toEqual([]);
});

/** A body sent in chunks with no Content-Length, so the limit must be enforced while reading. */
function sendChunked(baseURL: string, pathname: string, bytes: number, headers: Record<string, string>): Promise<TRawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseURL}${pathname}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    req.write('{"version": 1, "reason": "');
    write();
  });
}

test('bodies over the limit: a 413 naming the limit, nothing changed', async () => {
  test.setTimeout(120_000);
  const limit = 16 * 1024 * 1024;
  const probe = await openProbe(server);
  try {
    const oversized = `{"version":1,"body":{"encoding":"utf8","data":"${'x'.repeat(limit)}"},"headers":{}}`;
    for (const key of ['POST messages/[id]/revisions', 'POST messages/[id]/replay', 'POST teams', 'POST users/[id]/disable']) {
      const { method, route } = split(key);
      await probe.send(`${key}: body over the limit (${oversized.length} bytes)`, () => admin.fetch(urlOf(route), { method, headers: { 'content-type': 'application/json' }, data: Buffer.from(oversized) }), {
        status: [413], message: /limit/,
      });
    }
    await probe.send('POST messages/[id]/replay: chunked body over the limit, no Content-Length', () => sendChunked(server.baseURL, urlOf('messages/[id]/replay'), limit + 1024 * 1024, { authorization: admin.authorization }), {
      status: [413], message: /limit/,
    });
  } finally {
    await probe.close();
  }
  expect(probe.problems).toEqual([]);
});
