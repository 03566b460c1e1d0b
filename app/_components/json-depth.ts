/**
 * How deeply the JSON text nests its arrays and objects (strings skipped). Re-indenting
 * costs two spaces per level per line: JSON nested 10,000 deep becomes some 100 million
 * characters, which would hang the page, so deep JSON is shown as written.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Deeper than this, the JSON view shows the text as written instead of re-indenting it. */
export const MAX_PRETTY_DEPTH = 100;
