import { randomBytes } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { seedDeadLetters, type TSeed } from './fixtures';

// Dead letters built to attack the console that renders them: markup, javascript: URLs,
// direction overrides, numbers past double precision, JSON too deep to re-indent and
// __proto__ keys, in every place a message can carry text. Seeded through the real broker.

const lib = { prisma: () => import('../../lib/db/prisma') };

/** Each payload sets window.__pwned before it alerts: a page where it is set ran one. */
export const PAYLOADS = {
  script: '<script>window.__pwned=1;alert(1)</script>',
  img: '"><img src=x onerror="window.__pwned=1;alert(1)">',
  js: 'javascript:window.__pwned=1;alert(1)',
  bidi: 'invoice\u202Efdp.exe',
  zeroWidth: 'zero\u200Bwidth\u200D\uFEFFjoin',
} as const;

const ALL = Object.values(PAYLOADS);
/** Characters that must never reach the screen as they are (they are shown as a marker). */
export const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

export const HUGE_NUMBERS = '{"big":1e400,"wide":12345678901234567890123,"tiny":-1.000000000000000000000000001e-400,"price":0.1000000000000000055511151231257827}';

export function hostileSeeds(tag: string): Record<'xss' | 'bidi' | 'numbers' | 'deep' | 'proto', TSeed> {
  const everywhere = Object.fromEntries(ALL.map((s, i) => [`${s}`, `${s} #${i}`]));
  return {
    xss: {
      body: JSON.stringify({ ...everywhere, note: PAYLOADS.script, link: PAYLOADS.js, nested: { [PAYLOADS.img]: [PAYLOADS.bidi] } }),
      contentType: 'application/json',
      messageId: `${PAYLOADS.script}-${tag}`,
      headers: {
        ...everywhere,
        traceparent: PAYLOADS.js,
        link: PAYLOADS.js,
        'x-callback-url': PAYLOADS.js,
        'x-exception-message': `${PAYLOADS.script} ${PAYLOADS.img} ${tag}`,
        'x-exception-stacktrace': `com.acme.${tag}.HostileException: ${PAYLOADS.img}\n\tat ${PAYLOADS.script}(Handler.java:1)`,
        // A key of 255 bytes, the AMQP maximum, and a long unbroken value: the header table must not overflow.
        [`x-${'k'.repeat(253)}`]: 'v'.repeat(600),
        nested: { [PAYLOADS.script]: [PAYLOADS.img, { [PAYLOADS.js]: PAYLOADS.bidi }] },
        // A forged entry the broker keeps beside its own.
        'x-death': [{ queue: PAYLOADS.script, reason: 'rejected', count: 3, exchange: PAYLOADS.img, 'routing-keys': [PAYLOADS.js, PAYLOADS.bidi], time: { '!': 'timestamp', value: 1_700_000_000 } }],
      },
    },
    bidi: {
      body: `Attachment: ${PAYLOADS.bidi}\nJoiner: ${PAYLOADS.zeroWidth}\n`,
      contentType: 'text/plain',
      messageId: `${PAYLOADS.bidi}-${tag}`,
      headers: { filename: PAYLOADS.bidi, [PAYLOADS.bidi]: PAYLOADS.zeroWidth, 'x-exception-message': `cannot open ${PAYLOADS.bidi}` },
    },
    numbers: { body: HUGE_NUMBERS, contentType: 'application/json', messageId: `numbers-${tag}` },
    deep: { body: `${'['.repeat(10_000)}"bottom"${']'.repeat(10_000)}`, contentType: 'application/json', messageId: `deep-${tag}` },
    proto: {
      body: '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
      contentType: 'application/json',
      messageId: `proto-${tag}`,
      // JSON.parse makes "__proto__" an own key, as a table on the wire holds it.
      headers: JSON.parse('{"__proto__":{"polluted":"yes"},"plain":"kept"}') as Record<string, unknown>,
    },
  };
}

/**
 * Seeds the hostile messages and returns once the worker's classifier and ownership tagger
 * are done with them (grouped, owner checked): from then on only the spec's own actions
 * change their rows, which is what the specs' before/after digests compare.
 */
export async function seedHostileMessages(label: string) {
  const tag = `${label}-${randomBytes(3).toString('hex')}`;
  const seeds = hostileSeeds(tag);
  const seeded = await seedDeadLetters(label, Object.values(seeds));
  const { prisma } = await lib.prisma();
  await expect.poll(
    () => prisma().message.count({ where: { sourceQueue: seeded.dlq, OR: [{ groupId: null }, { ownerCheckedAt: null }] } }),
    { timeout: 60_000, message: 'the worker grouped the seeded messages and checked their owners' },
  ).toBe(0);
  const idOf = (key: keyof typeof seeds) => seeded.idOf(seeds[key].messageId!);
  return {
    ...seeded,
    seeds,
    idOf,
    /** The failure group the classifier puts a message in (the worker groups on its own clock). */
    async groupIdOf(key: keyof typeof seeds) {
      let groupId: bigint | null = null;
      await expect.poll(async () => (groupId = (await prisma().message.findUniqueOrThrow({ where: { id: BigInt(idOf(key)) }, select: { groupId: true } })).groupId), {
        timeout: 30_000, message: 'the message grouped',
      }).not.toBeNull();
      return String(groupId);
    },
  };
}

/**
 * Watches a page for any sign a payload ran: a dialog, window.__pwned, a javascript: link,
 * an element a payload would have created. Returns the check to run after each view.
 */
export function watchForScripts(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return async function expectNothingRan(where: string) {
    expect(dialogs, `dialogs opened on ${where}`).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned), `window.__pwned on ${where}`).toBeUndefined();
    const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^\s*(javascript|data|vbscript):/i.test(h)), `script links on ${where}`).toEqual([]);
    expect(await page.locator('img[src="x"], [onerror], [onclick], [onload]').count(), `injected elements on ${where}`).toBe(0);
    expect(await page.evaluate(() => ({} as Record<string, unknown>).polluted), `Object.prototype on ${where}`).toBeUndefined();
  };
}

/** The page's visible text holds no direction override or zero-width character as it is. */
export async function expectNoInvisible(page: Page, where: string) {
  const text = await page.locator('main').innerText();
  const found = INVISIBLE.exec(text);
  expect(found && `U+${found[0].codePointAt(0)!.toString(16).toUpperCase()} near "${text.slice(Math.max(0, found.index - 20), found.index + 20)}"`, `invisible characters shown on ${where}`).toBeNull();
}

/**
 * What viewing or editing the seeded messages may change: their rows (content digest),
 * their revisions and their audit events. Other specs share the database, so the rest of
 * it is no measure of this spec.
 */
export async function snapshotSeeded(dlq: string): Promise<Record<string, string>> {
  const { prisma } = await lib.prisma();
  const [row] = await prisma().$queryRaw<Record<string, string>[]>`
    SELECT
      (SELECT md5(coalesce(string_agg(to_jsonb(m)::text, E'\n' ORDER BY m.id), '')) FROM messages m WHERE m.source_queue = ${dlq}) AS messages,
      (SELECT count(*)::text FROM message_revisions r JOIN messages m ON m.id = r.message_id WHERE m.source_queue = ${dlq}) AS revisions,
      (SELECT count(*)::text FROM audit_events a JOIN messages m ON m.id = a.message_id WHERE m.source_queue = ${dlq}) AS audit_events`;
  return row!;
}

export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((k) => before[k] !== after[k]);
}
