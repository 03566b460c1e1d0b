import type { TApprovalKind } from './approval-kinds';

// One phrase for what an approval request would do, for its audit events and the UI:
// "replay of 3 messages to their origin queues", "redirect of 1 message to team billing".

type TStoredInput = {
  target?: { queue: string } | { exchange: string; routingKey: string };
  sandbox?: string;
  team?: string;
  allTeams?: boolean;
  jsonPatch?: unknown[];
  /** Set for a bulk job's approval (lib/jobs). */
  job?: { id: string; total: number };
};

/** How many messages a request covers: a bulk job's approval lists only its first ids. */
export function approvalMessageCount(input: unknown, listed: number): number {
  const job = (typeof input === 'object' && input !== null ? (input as TStoredInput).job : undefined);
  return typeof job?.total === 'number' ? job.total : listed;
}

export function describeApproval(kind: TApprovalKind, input: unknown, messageCount: number): string {
  const i = (typeof input === 'object' && input !== null ? input : {}) as TStoredInput;
  const count = `${messageCount.toLocaleString('en-US')} message${messageCount === 1 ? '' : 's'}`;
  const phrase = describeAction(kind, i, count, messageCount);
  return i.job ? `Bulk job: ${phrase}${i.jsonPatch ? ', with a JSON patch applied to each body' : ''}` : phrase;
}

function describeAction(kind: TApprovalKind, i: TStoredInput, count: string, messageCount: number): string {
  switch (kind) {
    case 'replay': {
      const to = i.sandbox
        ? `sandbox ${i.sandbox}`
        : i.target && 'queue' in i.target
          ? `queue ${i.target.queue}`
          : i.target
            ? `exchange ${i.target.exchange} with routing key ${i.target.routingKey}`
            : messageCount === 1 ? 'its origin queue' : 'their origin queues';
      return `replay of ${count} to ${to}`;
    }
    case 'redirect':
      return `redirect of ${count} to ${i.allTeams ? 'all teams' : `team ${i.team ?? '?'}`}`;
    case 'discard':
      return `discard of ${count}`;
  }
}
