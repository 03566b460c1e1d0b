import { cutText, cutWithEllipsis, toWellFormed } from './cut-text';

// Exception text with the parts that differ from one message to the next (ids, numbers,
// timestamps, quoted values) replaced by placeholders, so "order 812 not found" and
// "order 907 not found" fall in one group. Order matters: the specific shapes (a UUID, a
// timestamp) are replaced before the general ones (a number) would take them apart.

export const MAX_EXCEPTION_MESSAGE = 500;
export const MAX_EXCEPTION_TYPE = 255;

const REPLACEMENTS: [RegExp, string][] = [
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, '<ts>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<ts>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Starts only where a run of address characters starts, so a long run without "@" is read once.
  [/(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/"[^"\n]{0,300}"|'[^'\n]{0,300}'|`[^`\n]{0,300}`|“[^”\n]{0,300}”/g, '<str>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Hex ids: 8 or more hex digits with at least one digit (so words such as "deadbeef" or "accepted" stay).
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Long tokens (base64, JWTs, keys): 24+ characters mixing letters and digits.
  // Starts only where a run of token characters starts, so the lookaheads read each run once.
  [/(?<![\w+/=.<-])(?=[\w+/=.-]*\d)(?=[\w+/=.-]*[A-Za-z])[\w+/=.-]{24,}/g, '<token>'],
  // Addresses and versions: dotted numbers, with a port (10.20.0.13:8443, 1.2.3).
  [/(?<![\w.])\d+(?:\.\d+){2,}(?::\d+)?(?![\w])/g, '<addr>'],
  // Ids that mix letters and two or more digits: ord_10423, cus_4410, BOTTLE-STL-750 (v2 and
  // 5s stay). Starts only where a run of word characters starts, so the lookaheads read each
  // run once.
  [/(?<![\w-])(?=[\w-]*\d\d)(?=[\w-]*[A-Za-z_])[\w-]*\w/g, '<id>'],
];

// A number may end a sentence ("line 1."), but is not part of a dotted one.
const NUMBER = /(?<![\w.])-?\d+(?:[.,]\d+)?(?!\w|[.,]\d)/g;
// HTTP-like status codes stay: "status 503" and "status 404" are different failures.
const STATUS_BEFORE = /\b(?:HTTP(?:\/\d(?:\.\d)?)?|status(?: code)?|code|response)[\s:=#]{0,3}$/i;
const STATUS_AFTER = /^ (?:Service Unavailable|Bad Gateway|Gateway Time-?out|Internal Server Error|Not Found|Bad Request|Unauthorized|Forbidden|Conflict|Too Many Requests|Unprocessable)/i;

function replaceNumbers(text: string): string {
  return text.replace(NUMBER, (n, offset: number) => {
    const isStatus = /^[1-5]\d\d$/.test(n)
      && (STATUS_BEFORE.test(text.slice(Math.max(0, offset - 20), offset)) || STATUS_AFTER.test(text.slice(offset + 3, offset + 40)));
    return isStatus ? n : '<n>';
  });
}

export function normaliseExceptionMessage(message: string | null | undefined): string | null {
  if (!message) return null;
  let text = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  text = toWellFormed(cutText(text, 4 * MAX_EXCEPTION_MESSAGE));
  for (const [pattern, placeholder] of REPLACEMENTS) text = text.replace(pattern, placeholder);
  text = replaceNumbers(text).trim();
  if (!text) return null;
  return cutWithEllipsis(text, MAX_EXCEPTION_MESSAGE);
}

export function normaliseExceptionType(type: string | null | undefined): string | null {
  if (!type) return null;
  const text = toWellFormed(cutText(type, 4 * MAX_EXCEPTION_TYPE)).replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  if (!text) return null;
  return cutText(text, MAX_EXCEPTION_TYPE);
}
