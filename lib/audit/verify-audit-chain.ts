import type { TActor } from '../actor';
import { Prisma } from '../db/generated/client';
import { prisma } from '../db/prisma';
import { AppError } from '../errors';
import { requirePermission } from '../permissions/require-permission';
import { canonicalAuditEvent, GENESIS_HASH, hashAuditEvent, type TCanonicalAuditFields } from './audit-canonical';
import type { TAuditChainBroken, TAuditChainVerification, TBreakKind } from './audit-integrity-dto';

// Walks the whole audit record in id order, recomputing every hash in Node, and reports
// the first event that does not fit (docs/decisions/0009-audit-hash-chain.md). Reads in
// keyset batches, so memory stays flat however long the record is, inside one read-only
// REPEATABLE READ transaction, so the events and the head are read as of one instant and
// events appended meanwhile neither race the head comparison nor get half-read.

/** The canonical fields, named as the canonical form names them, plus the stored hashes. */
type TRow = TCanonicalAuditFields & { id: bigint; prev_hash: Uint8Array; hash: Uint8Array };
type THeadRow = { last_id: bigint | null; last_hash: Uint8Array; events: bigint };

export type TVerifyProgress = { checked: number; lastId: string | null };
type TOptions = { actor: TActor; batchSize?: number; onProgress?: (progress: TVerifyProgress) => void };

const MIN_BIGINT = -(2n ** 63n);
/** Long enough for hundreds of millions of events; a stuck connection still ends one day. */
const TRANSACTION_TIMEOUT_MS = 6 * 60 * 60 * 1000;

const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('hex'));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

function broken(kind: TBreakKind, brokenAt: bigint | null, expected: Uint8Array | null, actual: Uint8Array | null, checked: number, detail: string): TAuditChainBroken {
  return { ok: false, brokenAt: brokenAt?.toString() ?? null, kind, expected: hex(expected), actual: hex(actual), checked, detail };
}

export async function verifyAuditChain({ actor, batchSize = 5000, onProgress }: TOptions): Promise<TAuditChainVerification> {
  requirePermission(actor, 'audit:verify');
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new AppError('INVALID_INPUT', `batchSize must be a whole number from 1 to 100000, got ${batchSize}`);
  }
  return prisma().$transaction(
    async (tx) => {
      await tx.$executeRaw`SET TRANSACTION READ ONLY`;
      let prev: Uint8Array = GENESIS_HASH;
      let lastId: bigint | null = null;
      let checked = 0;
      for (;;) {
        // jsonb as PostgreSQL renders it (the canonical form says so); everything else raw.
        const rows: TRow[] = await tx.$queryRaw<TRow[]>`
          SELECT id, at, actor, action, subject, reason, before::text AS before, after::text AS after, message_id AS "messageId",
                 request_id AS "requestId", target, result, source_queue AS "sourceQueue", origin_queue AS "originQueue", outcome,
                 prev_hash, hash
            FROM audit_events WHERE id > ${lastId ?? MIN_BIGINT} ORDER BY id LIMIT ${batchSize}`;
        for (const row of rows) {
          if (!same(row.prev_hash, prev)) {
            const after = lastId === null ? 'the chain start (32 zero bytes)' : `event ${lastId}`;
            return broken('link_mismatch', row.id, prev, row.prev_hash, checked, `event ${row.id} does not link to ${after}: an event before it was removed, inserted or rewritten`);
          }
          const recomputed = hashAuditEvent(row.prev_hash, canonicalAuditEvent(row));
          if (!same(recomputed, row.hash)) {
            return broken('hash_mismatch', row.id, recomputed, row.hash, checked, `event ${row.id} was changed after it was written: its content no longer matches its hash`);
          }
          prev = row.hash;
          lastId = row.id;
          checked++;
        }
        if (rows.length > 0) onProgress?.({ checked, lastId: lastId!.toString() });
        if (rows.length < batchSize) break;
      }

      const [head] = await tx.$queryRaw<THeadRow[]>`SELECT last_id, last_hash, events FROM audit_chain_head WHERE id`;
      if (!head) {
        return broken('head_mismatch', lastId, null, prev, checked, 'audit_chain_head has no row: the head was deleted, so a removed tail could go unseen');
      }
      if (head.last_id !== lastId || !same(head.last_hash, prev)) {
        const found = lastId === null ? 'no events' : `event ${lastId} as the last`;
        return broken('head_mismatch', head.last_id ?? lastId, head.last_hash, prev, checked, `the head names event ${head.last_id ?? 'none'} as the last, the record has ${found}: events at the end were removed or added around the chain`);
      }
      if (head.events !== BigInt(checked)) {
        return broken('head_mismatch', lastId, head.last_hash, prev, checked, `the head counts ${head.events} events, the record holds ${checked}`);
      }
      return { ok: true, checked, headId: lastId?.toString() ?? null, headHash: hex(prev)! };
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, maxWait: 10_000, timeout: TRANSACTION_TIMEOUT_MS },
  );
}
