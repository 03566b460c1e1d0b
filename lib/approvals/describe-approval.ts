import type { TApprovalKind } from './approval-kinds';

// One phrase for what an approval request would do, for its audit events and the UI:
// "replay of 3 messages to their origin queues", "redirect of 1 message to team billing".

type TStoredInput = {
  target?: { queue: string } | { exchange: string; routingKey: string };
  sandbox?: string;
  team?: string;
  allTeams?: boolean;
};

export function describeApproval(kind: TApprovalKind, input: unknown, messageCount: number): string {
  const i = (typeof input === 'object' && input !== null ? input : {}) as TStoredInput;
  const count = `${messageCount} message${messageCount === 1 ? '' : 's'}`;
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
