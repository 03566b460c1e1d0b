import { z } from 'zod';
import type { Contract } from '../db/generated/client';
import { ZQueueName } from '../validation/broker-names';

// A contract is a JSON Schema for the bodies an origin queue accepts. A replay to that
// queue is checked against it first (check-contract.ts), so a fix that still breaks the
// consumer is refused before it is published.

export const MAX_SCHEMA_BYTES = 256 * 1024;

export const ZContractSchema = z
  .record(z.string(), z.unknown(), { error: 'schema must be a JSON Schema object' })
  .refine((s) => Buffer.byteLength(JSON.stringify(s), 'utf8') <= MAX_SCHEMA_BYTES, `schema is larger than ${MAX_SCHEMA_BYTES / 1024} KiB`);

export const ZContractInput = z.strictObject({
  origin: ZQueueName,
  schema: ZContractSchema,
});
export type TContractInput = z.input<typeof ZContractInput>;

export type TContract = {
  /** The origin queue whose consumers the schema describes. */
  origin: string;
  schema: Record<string, unknown>;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
};

export function toContractDto(row: Contract): TContract {
  return {
    origin: row.originQueue,
    schema: row.schema as Record<string, unknown>,
    updatedBy: row.updatedBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** One way a body breaks a contract: a JSON Pointer into the body, and what is wrong there. */
export type TContractViolation = { path: string; message: string };
