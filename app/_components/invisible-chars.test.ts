import { describe, expect, it } from 'vitest';
import { findInvisible, hasInvisible, markInvisible, splitInvisible } from './invisible-chars';

describe('invisible characters', () => {
  it('marks a right-to-left override so a file name cannot pass for another', () => {
    expect(splitInvisible('invoice\u202Efdp.exe')).toEqual([
      { kind: 'text', text: 'invoice' },
      { kind: 'invisible', marker: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE' },
      { kind: 'text', text: 'fdp.exe' },
    ]);
    expect(markInvisible('invoice\u202Efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
  });

  it('marks zero-width characters and isolates, and leaves other text alone', () => {
    expect(markInvisible('zero\u200Bwidth\u200D\uFEFFjoin\u2067x\u2069')).toBe('zero⟨U+200B⟩width⟨U+200D⟩⟨U+FEFF⟩join⟨U+2067⟩x⟨U+2069⟩');
    for (const plain of ['', 'plain', 'שלום עולם', 'مرحبا', 'emoji 👩‍💻'.replace('\u200D', ''), 'tab\tand\nnewline']) {
      expect(hasInvisible(plain)).toBe(false);
      expect(splitInvisible(plain)).toEqual([{ kind: 'text', text: plain }]);
    }
  });

  it('says where they are, line and column', () => {
    expect(findInvisible('{\n  "file": "a\u202Eb"\n}\u200B', 1)).toEqual({
      found: [{ marker: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE', line: 2, column: 13 }],
      total: 2,
    });
  });
});
