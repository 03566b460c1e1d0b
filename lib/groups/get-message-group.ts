import type { TActor } from '../actor';
import { prisma } from '../db/prisma';
import { SUGGESTED_ACTIONS, type TCategory } from './categories';
import { loadExceptionMasker } from './exception-redaction';
import type { TMessageGroup } from './group-dto';
import type { TFramework } from './read-exception';
import { isSafeRunbookUrl, type TRunbookKind } from './runbook-dto';

/**
 * The group of a message the caller may already read, for its detail page; null until the
 * classifier has run. Exception text a header rule masks is left out unless `actor` may read
 * it (no actor: masked, as for any reader).
 */
export async function getMessageGroup({ actor, groupId }: { actor?: TActor; groupId: bigint | null }): Promise<TMessageGroup | null> {
  if (groupId === null) return null;
  const g = await prisma().failureGroup.findUnique({ where: { id: groupId } });
  if (!g) return null;
  const books = await prisma().runbook.findMany({
    where: { OR: [{ kind: 'group', key: g.id.toString() }, ...(g.originQueue ? [{ kind: 'origin', key: g.originQueue }] : [])] },
  });
  const book = books.find((b) => b.kind === 'group' && isSafeRunbookUrl(b.url)) ?? books.find((b) => b.kind === 'origin' && isSafeRunbookUrl(b.url));
  const category = g.category as TCategory;
  const { exceptionType, exceptionMessage, redacted } = (await loadExceptionMasker(actor)).mask({
    framework: g.framework as TFramework | null, exceptionType: g.exceptionType, exceptionMessage: g.exceptionMessage,
  });
  return {
    id: g.id.toString(),
    exceptionType,
    exceptionMessage,
    redacted,
    category,
    suggestedAction: g.suggestedAction ?? SUGGESTED_ACTIONS[category],
    runbook: book ? { kind: book.kind as TRunbookKind, url: book.url } : null,
    messageCount: Number(g.messageCount),
  };
}
