import type { TTimelineItem } from '@/lib/messages/message-dto';

// One short sentence per timeline item, as parts: text, or a link to another message.
// Pure, so the wording is tested without a browser. Everything here ends up as text nodes.

export type TSentencePart = string | { href: string; text: string };
export type TTone = 'neutral' | 'info' | 'ok' | 'fail' | 'warn';
export type TSentence = { parts: TSentencePart[]; tone: TTone; reason: string | null };

/** `user:ana@example.com` → `ana@example.com`; tokens and system actors keep their kind. */
export function shortActor(actor: string): string {
  return actor.startsWith('user:') ? actor.slice(5) : actor;
}

const LABELS: Record<string, string> = {
  'message.edited': 'edited',
  'message.replay_requested': 'replay requested',
  'message.sandbox_replay_requested': 'sandbox replay requested',
  'message.redirect_requested': 'redirect requested',
  'message.discarded': 'discarded',
  'message.restored': 'restored',
  'dispatch.published': 'published',
  'dispatch.failed': 'publish failed',
  'dispatch.retrying': 'publish retrying',
};

/** "replay requested" for message.replay_requested; unknown actions as they are. */
export function actionLabel(action: string): string {
  return LABELS[action] ?? action;
}

function numberIn(value: unknown, key: string): number | null {
  if (typeof value !== 'object' || value === null) return null;
  const n = (value as Record<string, unknown>)[key];
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function revisionNote(after: unknown): string {
  const revision = numberIn(after, 'revision');
  return revision && revision > 0 ? `, revision #${revision}` : '';
}

export function describeTimelineItem(item: TTimelineItem): TSentence {
  if (item.kind === 'ingested') {
    return { parts: [`Ingested from ${item.source} (${item.reason})`], tone: 'neutral', reason: null };
  }
  if (item.kind === 'redeath') {
    return {
      parts: ['Dead-lettered again as ', { href: `/messages/${item.messageId}`, text: `message #${item.messageId}` }, ` (${item.reason})`],
      tone: 'fail',
      reason: null,
    };
  }
  const who = shortActor(item.actor);
  const to = item.target ?? 'an unknown destination';
  const reason = item.reason;
  switch (item.action) {
    case 'message.edited': {
      const n = numberIn(item.after, 'revision');
      return { parts: [`Edited by ${who}${n !== null ? ` — revision #${n}` : item.result ? ` — ${item.result}` : ''}`], tone: 'info', reason };
    }
    case 'message.replay_requested':
      return { parts: [`Replay requested by ${who} to ${to}${revisionNote(item.after)}`], tone: 'info', reason };
    case 'message.sandbox_replay_requested':
      return { parts: [`Sandbox replay requested by ${who} to ${to}${revisionNote(item.after)}`], tone: 'info', reason };
    case 'message.redirect_requested':
      return { parts: [`Redirect requested by ${who} to ${to}${revisionNote(item.after)}`], tone: 'info', reason };
    case 'message.discarded':
      return { parts: [`Discarded by ${who}`], tone: 'neutral', reason };
    case 'message.restored': {
      const status = typeof item.after === 'object' && item.after !== null ? (item.after as Record<string, unknown>).status : null;
      return { parts: [`Restored by ${who}${typeof status === 'string' ? ` (back to ${status})` : ''}`], tone: 'neutral', reason };
    }
    case 'dispatch.published':
      return { parts: [`Published to ${to} (${!item.result || item.result.startsWith('confirmed') ? 'confirmed' : item.result})`], tone: 'ok', reason: null };
    case 'dispatch.failed':
      return { parts: [`Publish to ${to} failed: ${item.result ?? 'no reason given'}`], tone: 'fail', reason: null };
    case 'dispatch.retrying':
      return { parts: [`Publish to ${to} not confirmed yet${item.result ? `: ${item.result}` : ''}`], tone: 'warn', reason: null };
    default:
      return { parts: [`${item.action} by ${who}${item.target ? ` → ${item.target}` : ''}${item.result ? ` (${item.result})` : ''}`], tone: 'neutral', reason };
  }
}
