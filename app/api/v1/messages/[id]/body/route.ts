import { withOperator } from '@/lib/http/with-operator';
import { readMessageBody } from '@/lib/messages/get-message';

// GET /api/v1/messages/{id}/body — the exact stored bytes, as a download; masked by the
// redaction rules for a caller without messages:read-sensitive (then x-dlq-redacted: true).
export const GET = withOperator<{ id: string }>(
  async ({ actor, params }) => {
    const message = await readMessageBody({ actor, id: params.id });
    return new Response(Buffer.from(message.body), {
      headers: {
        // Always a download and never sniffed: a hostile body must not render as a page.
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="message-${message.id}.bin"`,
        'x-content-type-options': 'nosniff',
        'x-original-content-type': encodeURIComponent(message.contentType ?? ''),
        'cache-control': 'private, no-store',
        ...(message.redacted ? { 'x-dlq-redacted': 'true' } : {}),
      },
    });
  },
  { permission: 'messages:read' },
);
