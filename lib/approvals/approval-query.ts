import { z } from 'zod';
import { isMessageId } from '../messages/message-dto';
import { emptyToUndefined, pageFields } from '../validation/query-fields';
import { APPROVAL_STATUSES } from './approval-kinds';

// The approvals API's query and bodies, parsed at the HTTP edge and re-checked by the domain.

export const ZApprovalQuery = z
  .object({
    status: z.preprocess(emptyToUndefined, z.enum(APPROVAL_STATUSES, { error: `must be one of ${APPROVAL_STATUSES.join(', ')}` }).optional()),
    /** The requests that include this message. */
    messageId: z.preprocess(emptyToUndefined, z.string().refine(isMessageId, 'must be a message id (a positive whole number)').optional()),
    ...pageFields,
  })
  .strict();
export type TApprovalQuery = z.output<typeof ZApprovalQuery>;

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const ZDecisionReason = z.string().max(1000, 'must be at most 1000 characters').refine(noControl, 'must not contain control characters');

export const ZApproveRequest = z.object({ reason: ZDecisionReason.nullish() }).strict();
export const ZRejectRequest = z
  .object({ reason: ZDecisionReason.refine((s) => s.trim() !== '', 'is required: say why it must not run') })
  .strict();
export const ZCancelRequest = z.object({ reason: ZDecisionReason.nullish() }).strict();

export function isApprovalId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
