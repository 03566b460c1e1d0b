// Characters that change how text reads without being seen: direction overrides and
// isolates (U+202A-U+202E, U+2066-U+2069, the marks U+200E/U+200F/U+061C) and zero-width
// or invisible format characters. A queue named "invoice\u202Efdp.exe" displays as
// "invoiceexe.pdf". Wherever the console shows text that came with a message, these are
// replaced by a visible marker naming the code point; the stored bytes keep them.

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
};

const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export type TTextPart = { kind: 'text'; text: string } | { kind: 'invisible'; marker: string; name: string };

/** "U+202E" for a character. */
export const codePointLabel = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}

/** The text cut around each invisible character, which becomes a named marker. */
export function splitInvisible(text: string): TTextPart[] {
  const parts: TTextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(INVISIBLE)) {
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    parts.push({ kind: 'invisible', marker: codePointLabel(match[0]), name: NAMES[match[0].codePointAt(0)!] ?? 'INVISIBLE CHARACTER' });
    last = match.index + match[0].length;
  }
  if (last < text.length || parts.length === 0) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The text with each invisible character written as ⟨U+202E⟩: for title attributes and other plain-text places. */
export function markInvisible(text: string): string {
  return hasInvisible(text) ? text.replace(INVISIBLE, (c) => `⟨${codePointLabel(c)}⟩`) : text;
}

export type TInvisibleAt = { marker: string; name: string; line: number; column: number };

/** Where the invisible characters are (line and column from 1), at most `limit` of them. */
export function findInvisible(text: string, limit = 5): { found: TInvisibleAt[]; total: number } {
  const found: TInvisibleAt[] = [];
  let total = 0;
  for (const match of text.matchAll(INVISIBLE)) {
    total++;
    if (found.length >= limit) continue;
    const before = text.slice(0, match.index);
    const lineStart = before.lastIndexOf('\n') + 1;
    found.push({
      marker: codePointLabel(match[0]),
      name: NAMES[match[0].codePointAt(0)!] ?? 'INVISIBLE CHARACTER',
      line: (before.match(/\n/g) ?? []).length + 1,
      column: Array.from(before.slice(lineStart)).length + 1,
    });
  }
  return { found, total };
}
