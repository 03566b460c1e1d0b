import type { Options } from 'amqplib';
import type { TTypedTable, TTypedValue } from '../ingest/typed-headers';
import { HEADER, isConsoleHeader, isDeathHeader } from './console-headers';
import type { TClaimedDispatch } from './claim-dispatches';
import { toAmqpTable } from './to-amqp-headers';

// What one dispatch sends: the body of its revision, the properties as they arrived (minus
// the two the broker would act on: userId is checked against our connection, expiration
// already expired it once), the headers minus the broker's death history, and the
// console's own headers (docs/decisions/0007).

export type TPublishSource = {
  messageId: bigint;
  originalMessageId: bigint | null;
  originQueue: string | null;
  deathReason: string;
  properties: Record<string, TTypedValue>;
  headers: TTypedTable;
  revisionNumber: number;
};

export type TPublish = { dispatchId: string; exchange: string; routingKey: string; options: Options.Publish };

const text = (v: TTypedValue | undefined) => (v?.type === 'string' ? ('value' in v ? v.value : Buffer.from(v.base64, 'base64').toString('utf8')) : undefined);
const num = (v: TTypedValue | undefined) => (v?.type === 'number' && typeof v.value === 'number' ? v.value : undefined);

export function buildPublish(dispatch: TClaimedDispatch, source: TPublishSource): TPublish {
  const p = source.properties;
  const kept = Object.fromEntries(Object.entries(source.headers).filter(([k]) => !isDeathHeader(k) && !isConsoleHeader(k)));
  const headers: Record<string, unknown> = {
    ...toAmqpTable(kept),
    [HEADER.replayId]: dispatch.id,
    [HEADER.replayCount]: dispatch.replayCount,
    [HEADER.originalMessageId]: (source.originalMessageId ?? source.messageId).toString(),
    [HEADER.revision]: source.revisionNumber,
  };
  if (dispatch.kind === 'redirect') {
    if (source.originQueue !== null) headers[HEADER.redirectedFrom] = source.originQueue;
    headers[HEADER.deathReason] = source.deathReason;
    if (dispatch.teamName !== null) headers[HEADER.team] = dispatch.teamName;
    if (dispatch.reason) headers[HEADER.redirectReason] = dispatch.reason;
  }
  const timestamp = p.timestamp?.type === 'timestamp' ? p.timestamp.value : num(p.timestamp);
  const options: Options.Publish = {
    mandatory: true,
    // Kept as it arrived; a message that said nothing is stored by the broker (it matters enough to replay).
    deliveryMode: num(p.deliveryMode) ?? 2,
    headers,
  };
  const set = <K extends keyof Options.Publish>(key: K, value: Options.Publish[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('contentType', text(p.contentType));
  set('contentEncoding', text(p.contentEncoding));
  set('priority', num(p.priority));
  set('correlationId', text(p.correlationId));
  set('replyTo', text(p.replyTo));
  set('messageId', text(p.messageId));
  set('timestamp', timestamp);
  set('type', text(p.type));
  set('appId', text(p.appId));
  return { dispatchId: dispatch.id, exchange: dispatch.exchange, routingKey: dispatch.routingKey, options };
}
