import { z } from 'zod';
import { redactUrl } from '../cli/redact-url';
import type { Sandbox } from '../db/generated/client';
import { hasControlCharacters } from '../validation/text';

// A sandbox is a broker (or another vhost of ours) that a replay can go to instead of the
// origin, for trying a fix. Its URL may carry credentials: it is stored, used by the
// dispatcher, and never shown; everyone else sees it with the password as ***.

export const ZSandboxName = z
  .string({ error: (issue) => (issue.input === undefined ? 'name is required' : 'name must be a string') })
  .trim()
  .min(1, 'name is empty')
  .max(100, 'name is longer than 100 characters')
  .refine((s) => !hasControlCharacters(s), 'name contains control characters');

export const ZSandboxUrl = z
  .string({ error: (issue) => (issue.input === undefined ? 'url is required' : 'url must be a string') })
  .trim()
  .min(1, 'url is empty')
  .max(2000, 'url is longer than 2000 characters')
  // new URL() would silently drop a tab or newline; refuse them instead.
  .refine((s) => !hasControlCharacters(s), 'url contains control characters')
  .superRefine((s, ctx) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'url is not a valid URL (expected amqp://user:password@host:5672/vhost)' });
      return;
    }
    if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:') {
      ctx.addIssue({ code: 'custom', message: `url must start with amqp:// or amqps://, not ${url.protocol}//` });
    } else if (!url.hostname) {
      ctx.addIssue({ code: 'custom', message: 'url names no host' });
    }
  });

export const ZSandboxInput = z.strictObject({ name: ZSandboxName, url: ZSandboxUrl });
export type TSandboxInput = z.input<typeof ZSandboxInput>;

export type TSandbox = {
  id: string;
  name: string;
  /** With the password, if any, replaced by ***. */
  url: string;
  createdAt: string;
};

export function toSandboxDto(row: Omit<Sandbox, 'url'> & { url: string }): TSandbox {
  return { id: row.id, name: row.name, url: redactUrl(row.url), createdAt: row.createdAt.toISOString() };
}

/** What the audit trail keeps: never the password. */
export function toSandboxAudit(sandbox: TSandbox) {
  return { name: sandbox.name, url: sandbox.url };
}
