import { AppError } from '../errors';
import { applyJsonPatch, JsonPatchError, type TJsonPatch } from './json-patch';

// A JSON patch applied to one message body: the body must be uncompressed JSON text. The
// result keeps the body's layout: compact stays compact, indented is written with two spaces.

export type TPatchedBody = { before: string; after: string };

export function patchBody({ messageId, body, contentEncoding }: { messageId: bigint; body: Uint8Array; contentEncoding: string | null }, patch: TJsonPatch): TPatchedBody {
  if (contentEncoding) throw new AppError('INVALID_INPUT', `Message ${messageId}: its body is ${contentEncoding}-encoded; a JSON patch needs a plain JSON body`);
  const before = Buffer.from(body).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(before);
  } catch {
    throw new AppError('INVALID_INPUT', `Message ${messageId}: its body is not JSON, so the JSON patch cannot apply`);
  }
  let patched: unknown;
  try {
    patched = applyJsonPatch(parsed, patch);
  } catch (error) {
    if (error instanceof JsonPatchError) throw new AppError('INVALID_INPUT', `Message ${messageId}: the JSON patch failed at ${error.message}`);
    throw error;
  }
  const after = before.includes('\n') ? `${JSON.stringify(patched, null, 2)}\n` : JSON.stringify(patched);
  return { before, after };
}

/** The text a diff shows: indented, so a change inside a compact body is visible line by line. */
export function diffText(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}
