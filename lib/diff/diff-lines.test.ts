import { describe, expect, it } from 'vitest';
import { diffLines, foldRows, MAX_DIFF_LINES, splitLines, type TDiffResult, type TDiffRow } from './diff-lines';

function rowsOf(result: TDiffResult): TDiffRow[] {
  if (!result.ok) throw new Error('expected a diff');
  return result.rows;
}

/** The diff replayed: left side from non-added rows, right side from non-removed rows. */
function sides(rows: TDiffRow[]) {
  return {
    left: rows.flatMap((r) => (r.left ? [r.left.text] : [])),
    right: rows.flatMap((r) => (r.right ? [r.right.text] : [])),
  };
}

function compact(rows: TDiffRow[]) {
  return rows.map((r) => `${r.kind}:${r.left ? `${r.left.n}=${r.left.text}` : '-'}|${r.right ? `${r.right.n}=${r.right.text}` : '-'}`);
}

describe('diffLines', () => {
  it('reports identical inputs as identical, every row the same', () => {
    const text = '{\n  "a": 1,\n  "b": [1, 2]\n}\n';
    const result = diffLines(text, text);
    expect(result).toMatchObject({ ok: true, identical: true, stats: { added: 0, removed: 0, changed: 0 } });
    expect(rowsOf(result).every((r) => r.kind === 'same' && r.left!.n === r.right!.n)).toBe(true);
    expect(rowsOf(result)).toHaveLength(4);
  });

  it('pairs a modified line as changed and keeps line numbers on both sides', () => {
    const result = diffLines('a\nb\nc\n', 'a\nB\nc\n');
    expect(compact(rowsOf(result))).toEqual(['same:1=a|1=a', 'changed:2=b|2=B', 'same:3=c|3=c']);
    expect(result).toMatchObject({ stats: { changed: 1, added: 0, removed: 0 }, identical: false });
  });

  it('shows insertions and deletions with the other side empty', () => {
    expect(compact(rowsOf(diffLines('a\nc', 'a\nb\nc')))).toEqual(['same:1=a|1=a', 'added:-|2=b', 'same:2=c|3=c']);
    expect(compact(rowsOf(diffLines('a\nb\nc', 'a\nc')))).toEqual(['same:1=a|1=a', 'removed:2=b|-', 'same:3=c|2=c']);
  });

  it('handles empty sides', () => {
    expect(rowsOf(diffLines('', ''))).toEqual([]);
    expect(diffLines('', '')).toMatchObject({ identical: true });
    expect(compact(rowsOf(diffLines('', 'x\ny')))).toEqual(['added:-|1=x', 'added:-|2=y']);
    expect(compact(rowsOf(diffLines('x\ny\n', '')))).toEqual(['removed:1=x|-', 'removed:2=y|-']);
  });

  it('compares unicode text by whole lines, without splitting on U+2028 or inside surrogate pairs', () => {
    const left = 'naïve café\n🙂 emoji\n"line\u2028separator"\nZürich';
    const right = 'naïve café\n🙃 emoji\n"line\u2028separator"\nZu\u0308rich';
    const rows = rowsOf(diffLines(left, right));
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.kind)).toEqual(['same', 'changed', 'same', 'changed']); // NFC ü ≠ u + combining diaeresis
    expect(rows[1]!.right!.text).toBe('🙃 emoji');
    expect(rows[2]!.left!.text).toBe('"line\u2028separator"');
  });

  it('treats CRLF, LF and CR line breaks alike and reports each side’s line ending', () => {
    const result = diffLines('a\r\nb\r\n', 'a\nb\n');
    expect(result).toMatchObject({ ok: true, identical: true, left: { eol: 'crlf', lines: 2, finalNewline: true }, right: { eol: 'lf', lines: 2 } });
    expect(splitLines('a\rb').lines).toEqual(['a', 'b']);
    expect(splitLines('a\r\nb\nc').info.eol).toBe('mixed');
    expect(splitLines('one line').info).toEqual({ lines: 1, eol: 'none', finalNewline: false });
  });

  it('sees a missing final newline only in the side information', () => {
    const result = diffLines('a\nb\n', 'a\nb');
    expect(result).toMatchObject({ identical: true, left: { finalNewline: true }, right: { finalNewline: false } });
    expect(compact(rowsOf(diffLines('a\n\n', 'a\n')))).toEqual(['same:1=a|1=a', 'removed:2=|-']);
  });

  it('finds a minimal diff on lines that repeat', () => {
    const rows = rowsOf(diffLines(['}', '},', '{', '}', '},', '{'].join('\n'), ['}', '},', '{', 'x', '}', '},', '{'].join('\n')));
    expect(rows.filter((r) => r.kind !== 'same')).toHaveLength(1);
    expect(sides(rows)).toEqual({ left: ['}', '},', '{', '}', '},', '{'], right: ['}', '},', '{', 'x', '}', '},', '{'] });
  });

  it('diffs two 5,000-line JSON bodies with scattered edits quickly', () => {
    const items = Array.from({ length: 1250 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] }));
    const before = JSON.stringify({ items }, null, 2);
    const edited = items.map((item) => (item.id % 100 === 7 ? { ...item, name: `renamed ${item.id}` } : item));
    const after = JSON.stringify({ items: edited }, null, 2);
    const started = performance.now();
    const result = diffLines(before, after);
    const ms = performance.now() - started;
    expect(result).toMatchObject({ ok: true, stats: { changed: 13, added: 0, removed: 0 } });
    expect(sides(rowsOf(result))).toEqual({ left: before.split('\n'), right: after.split('\n') });
    expect(ms).toBeLessThan(1000);
  });

  it('stays bounded and correct when two large sides share almost nothing', () => {
    const left = Array.from({ length: 6000 }, (_, i) => `left ${i}`).join('\n');
    const right = Array.from({ length: 6000 }, (_, i) => (i % 3 === 0 ? `left ${i}` : `right ${i}`)).join('\n');
    const started = performance.now();
    const rows = rowsOf(diffLines(left, right));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(sides(rows)).toEqual({ left: left.split('\n'), right: right.split('\n') });
    expect(rows.filter((r) => r.kind === 'same')).toHaveLength(2000);
  });

  it('falls back to a correct replacement when nothing anchors a huge difference', () => {
    const left = Array.from({ length: 4000 }, (_, i) => (i % 2 ? '}' : '{')).join('\n');
    const right = Array.from({ length: 4000 }, (_, i) => (i % 2 ? ']' : '[')).join('\n');
    const rows = rowsOf(diffLines(left, right));
    expect(sides(rows)).toEqual({ left: left.split('\n'), right: right.split('\n') });
    expect(rows.every((r) => r.kind === 'changed')).toBe(true);
  });

  it('finds a minimal edit on random inputs (checked against an LCS table)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(random() * 30) }, () => 'abcd'[Math.floor(random() * 4)]!);
      const b = Array.from({ length: Math.floor(random() * 30) }, () => 'abcd'[Math.floor(random() * 4)]!);
      const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      const result = diffLines(a.join('\n'), b.join('\n'));
      const rows = rowsOf(result);
      expect(sides(rows)).toEqual({ left: a, right: b });
      expect(rows.filter((r) => r.kind === 'same')).toHaveLength(lcs[0]![0]!);
    }
  });

  it(`refuses past ${MAX_DIFF_LINES} lines on a side`, () => {
    const big = 'x\n'.repeat(MAX_DIFF_LINES + 1);
    expect(diffLines(big, 'x')).toMatchObject({ ok: false, reason: 'too-large', left: { lines: MAX_DIFF_LINES + 1 } });
    expect(diffLines('x', big)).toMatchObject({ ok: false });
  });
});

describe('foldRows', () => {
  const same = (n: number): TDiffRow => ({ kind: 'same', left: { n, text: `l${n}` }, right: { n, text: `l${n}` } });
  const change: TDiffRow = { kind: 'changed', left: { n: 50, text: 'a' }, right: { n: 50, text: 'b' } };

  it('keeps context around changes and folds the rest', () => {
    const rows = [...Array.from({ length: 49 }, (_, i) => same(i + 1)), change, ...Array.from({ length: 50 }, (_, i) => same(i + 51))];
    const folded = foldRows(rows, 3);
    expect(folded.map((r) => r.kind)).toEqual(['fold', 'same', 'same', 'same', 'changed', 'same', 'same', 'same', 'fold']);
    expect(folded[0]).toEqual({ kind: 'fold', count: 46, from: 0 });
    expect(folded[8]).toEqual({ kind: 'fold', count: 47, from: 53 });
  });

  it('does not fold a short run, or anything when all rows are the same', () => {
    expect(foldRows([same(1), change, same(3)], 3)).toHaveLength(3);
    expect(foldRows(Array.from({ length: 10 }, (_, i) => same(i + 1)), 3)).toEqual([{ kind: 'fold', count: 10, from: 0 }]);
  });
});
