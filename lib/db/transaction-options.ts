/**
 * Options for a transaction that records an audit event. Audit writers wait for one another
 * on the chain head (docs/decisions/0009-audit-hash-chain.md), so under load such a
 * transaction may queue for seconds: Prisma's 5 s default would abort it half-way.
 */
export const AUDITED_TRANSACTION = { maxWait: 10_000, timeout: 30_000 } as const;
