import type { TActor } from '../actor';
import { env } from '../env';
import { AppError } from '../errors';
import { canActor } from '../permissions/require-permission';
import type { TRuleRow } from '../redaction/create-redactor';
import { loadRedactionRules } from '../redaction/load-redactor';
import type { TFramework } from './read-exception';

// A group's exception type and message are copied from message headers (read-exception.ts).
// A header redaction rule that masks one of them must mask the copy too, for every reader
// without messages:read-sensitive (docs/decisions/0011): the text is left out and the group
// says `redacted`, and the groups list refuses a text filter that would probe masked text.

type TSources = { type: string[]; message: string[] };

/** The headers a group's type and message may come from, by the framework family that sent them. */
function exceptionHeaders(framework: TFramework | null, customHeader: string | undefined): TSources {
  switch (framework) {
    case 'spring':
      // The message falls back to the stack trace's first line.
      return { type: ['x-exception-stacktrace'], message: ['x-exception-message', 'x-exception-stacktrace'] };
    case 'masstransit':
      return { type: ['MT-Fault-ExceptionType', 'MT-Fault-StackTrace'], message: ['MT-Fault-Message'] };
    case 'nservicebus':
      return { type: ['NServiceBus.ExceptionInfo.ExceptionType', 'NServiceBus.ExceptionInfo.StackTrace'], message: ['NServiceBus.ExceptionInfo.Message'] };
    case 'header':
      return customHeader ? { type: [customHeader], message: [customHeader] } : { type: [], message: [] };
    case null:
      return { type: [], message: [] };
  }
}

const ALL_FRAMEWORKS: TFramework[] = ['spring', 'masstransit', 'nservicebus', 'header'];

export type TExceptionMasker = {
  mask<T extends { framework: TFramework | null; exceptionType: string | null; exceptionMessage: string | null }>(group: T): T & { redacted: boolean };
  /** Throws FORBIDDEN when a text filter would search exception text masked for this reader. */
  assertTextFilterAllowed(): void;
};

export function createExceptionMasker(rules: readonly TRuleRow[], customHeader: string | undefined): TExceptionMasker {
  const masked = new Map(rules.filter((r) => r.kind === 'header').map((r) => [r.pattern.toLowerCase(), r.pattern]));
  const maskedOf = (names: string[]) => names.find((n) => masked.has(n.toLowerCase()));
  return {
    mask(group) {
      const sources = exceptionHeaders(group.framework, customHeader);
      const hideType = maskedOf(sources.type) !== undefined;
      const hideMessage = hideType || maskedOf(sources.message) !== undefined;
      return {
        ...group,
        exceptionType: hideType ? null : group.exceptionType,
        exceptionMessage: hideMessage ? null : group.exceptionMessage,
        redacted: hideMessage,
      };
    },
    assertTextFilterAllowed() {
      for (const framework of ALL_FRAMEWORKS) {
        const { type, message } = exceptionHeaders(framework, customHeader);
        const hit = maskedOf([...type, ...message]);
        if (hit !== undefined) {
          throw new AppError(
            'FORBIDDEN',
            `The exception text filter searches the ${hit} header, which redaction rule ${masked.get(hit.toLowerCase())} masks for you; filtering on it needs the messages:read-sensitive permission`,
          );
        }
      }
    },
  };
}

const OPEN: TExceptionMasker = { mask: (group) => ({ ...group, redacted: false }), assertTextFilterAllowed: () => {} };

/**
 * The masker for this reader: nothing masked for an actor with messages:read-sensitive or
 * when no header rule exists. No actor given: as restricted as any reader.
 */
export async function loadExceptionMasker(actor: TActor | undefined): Promise<TExceptionMasker> {
  if (actor && canActor(actor, 'messages:read-sensitive')) return OPEN;
  const rules = (await loadRedactionRules()).filter((r) => r.kind === 'header');
  return rules.length === 0 ? OPEN : createExceptionMasker(rules, env().DLQ_EXCEPTION_HEADER);
}
