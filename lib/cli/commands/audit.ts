import { getAuditChainHead } from '../../audit/get-audit-chain-head';
import { recordAuditVerification } from '../../audit/record-audit-verification';
import type { TVerifyProgress } from '../../audit/verify-audit-chain';
import { AppError } from '../../errors';
import { CLI_ACTOR, defineCommand, positiveIntFlag, UsageError } from '../command';

// The audit chain from a shell: `audit verify` for a person or a monitoring job (the exit
// code says intact or not), `audit head --json` for cron to copy the head somewhere the
// database's administrators cannot write (docs/decisions/0009-audit-hash-chain.md).

const PROGRESS_EVERY_MS = 1000;

/** Progress on stderr, at most once a second, so stdout stays the result alone. */
function progressPrinter() {
  let last = 0;
  return ({ checked, lastId }: TVerifyProgress) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    process.stderr.write(`verifying: ${checked.toLocaleString('en-US')} events intact, up to event ${lastId}\n`);
  };
}

export const AUDIT_COMMANDS = [
  defineCommand({
    name: 'audit verify',
    args: '[--batch-size N]',
    summary: 'recompute the audit hash chain, report the first broken link and record the result (exit 1 when broken)',
    flags: ['batch-size'],
    positionals: { min: 0, max: 0 },
    parse: (input) => {
      const batchSize = positiveIntFlag(input, 'batch-size');
      if (batchSize !== undefined && batchSize > 100_000) throw new UsageError(`--batch-size must be at most 100000, got ${batchSize}`);
      return { batchSize };
    },
    async run({ batchSize }) {
      const { eventId, verification: v } = await recordAuditVerification({ actor: CLI_ACTOR, batchSize, onProgress: progressPrinter() });
      if (v.ok) {
        console.log(`intact: ${v.checked} events, head event ${v.headId ?? '(none)'} ${v.headHash}`);
        console.log(`recorded as audit event ${eventId}`);
        return;
      }
      console.log(`BROKEN at event ${v.brokenAt ?? '(none)'}: ${v.kind}`);
      console.log(`  ${v.detail}`);
      console.log(`  expected ${v.expected ?? '(nothing)'}`);
      console.log(`  actual   ${v.actual ?? '(nothing)'}`);
      console.log(`  ${v.checked} events intact before it; recorded as audit event ${eventId}`);
      throw new AppError('CONFLICT', `broken at event ${v.brokenAt ?? '(none)'}: ${v.kind}`);
    },
  }),
  defineCommand({
    name: 'audit head',
    args: '[--json]',
    summary: 'print the newest audit event id, its hash and the event count, to anchor outside the database',
    flags: [],
    switches: ['json'],
    positionals: { min: 0, max: 0 },
    parse: ({ switches }) => ({ json: switches?.json === true }),
    async run({ json }) {
      const head = await getAuditChainHead({ actor: CLI_ACTOR });
      const readAt = new Date().toISOString();
      if (json) return console.log(JSON.stringify({ ...head, readAt }));
      console.log(`last event  ${head.lastId ?? '(none)'}`);
      console.log(`hash        ${head.lastHash}`);
      console.log(`events      ${head.events}`);
      console.log(`read at     ${readAt}`);
    },
  }),
];
