import { z } from 'zod';
import { AppError } from '../errors';

/** Bodies a little over the largest message we store (base64 grows by a third). */
export const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;

/** Room for `{}` and some whitespace: more is not an empty body. */
const MAX_EMPTY_BODY_BYTES = 1024;

/**
 * Reads and parses a JSON request body against a schema. Too large: a 413; not JSON, or not
 * the shape: a 400 that names the field; either before anything is touched.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S, maxBytes = MAX_JSON_BODY_BYTES): Promise<z.output<S>> {
  assertDeclaredSize(request, maxBytes);
  assertJsonContentType(request);
  return parseJson(await readLimited(request, maxBytes), schema);
}

const ZNoFields = z.strictObject({});

/**
 * For a request that takes no body (a DELETE, a POST that only names its target): nothing,
 * or an empty JSON object. Anything else is refused as readJsonBody refuses it (too large,
 * not JSON, an unknown field), so a caller who believes it is sending options learns that
 * they would be ignored before the action runs.
 */
export async function readEmptyBody(request: Request): Promise<void> {
  assertDeclaredSize(request, MAX_EMPTY_BODY_BYTES);
  const bytes = await readLimited(request, MAX_EMPTY_BODY_BYTES);
  if (bytes.byteLength === 0) return;
  assertJsonContentType(request);
  parseJson(bytes, ZNoFields);
}

function assertDeclaredSize(request: Request, maxBytes: number) {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('TOO_LARGE', `Request body is ${declared} bytes; the limit is ${maxBytes}`);
}

function assertJsonContentType(request: Request) {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new AppError('INVALID_INPUT', 'Send the request body as JSON (Content-Type: application/json)');
}

function parseJson<S extends z.ZodType>(bytes: Uint8Array, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new AppError('INVALID_INPUT', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(
      'INVALID_INPUT',
      parsed.error.issues
        .map((i) => (i.code === 'unrecognized_keys' ? `Unknown field "${i.keys.join('", "')}"` : `${i.path.length ? `"${i.path.join('.')}"` : 'Body'}: ${i.message}`))
        .join('; '),
    );
  }
  return parsed.data;
}

async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AppError('TOO_LARGE', `Request body is over the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
