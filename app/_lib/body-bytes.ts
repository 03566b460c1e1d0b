import type { TMessageBody } from '@/lib/messages/message-dto';

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bodyBytes(body: TMessageBody): Uint8Array<ArrayBuffer> {
  return body.encoding === 'base64' ? base64ToBytes(body.data) : new TextEncoder().encode(body.data);
}

/** The text when the bytes are valid UTF-8, otherwise null. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** application/json, text/json, application/problem+json, application/vnd.x.v1+json; charset=... */
export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

/** Parsed JSON when the text is JSON (objects, arrays and quoted strings; bare numbers are just text). */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[' && start !== '"') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
