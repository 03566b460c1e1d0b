/** Values longer than this are compared on their first MAX_WILDCARD_TEXT characters only. */
export const MAX_WILDCARD_TEXT = 4096;

export type TWildcardOptions = {
  /** Compare without regard to case (both sides lower-cased first). */
  caseInsensitive?: boolean;
  /** The pattern may match any substring of the text, as if it were written `*pattern*`. */
  anywhere?: boolean;
};

/**
 * Matches `text` against a pattern in which `*` stands for any run of characters (including
 * none) and every other character is literal. No regular expression is built from the pattern:
 * the two-pointer scan only ever backtracks to the most recent star, so the cost is bounded by
 * O(text length x pattern length) whatever the input, unlike a backtracking regex engine.
 * Text beyond MAX_WILDCARD_TEXT characters is not compared.
 */
export function wildcardMatch(text: string, pattern: string, opts: TWildcardOptions = {}): boolean {
  let t = text.length > MAX_WILDCARD_TEXT ? text.slice(0, MAX_WILDCARD_TEXT) : text;
  let p = opts.anywhere ? `*${pattern}*` : pattern;
  if (opts.caseInsensitive) {
    t = t.toLowerCase();
    p = p.toLowerCase();
  }
  let ti = 0;
  let pi = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] === '*') {
      starAt = pi;
      pi += 1;
      resumeAt = ti;
    } else if (pi < p.length && p[pi] === t[ti]) {
      pi += 1;
      ti += 1;
    } else if (starAt !== -1) {
      // Let the last star swallow one more character and retry the rest of the pattern after it.
      pi = starAt + 1;
      resumeAt += 1;
      ti = resumeAt;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}
