// A line diff for a side-by-side view, pure so the browser and tests share it.
//
// Myers' O(ND) algorithm after trimming the common prefix and suffix: an edit to a
// 5,000-line JSON body touches a few lines, so D is small and the diff is instant. When
// the sides share little, D grows and so does the work; past MAX_EDIT_DISTANCE the
// remaining span is split on lines that occur once on each side (patience anchors), and a
// span with no anchor is shown as replaced. The result is always a correct diff, minimal
// whenever the work stays under the cap.

export type TDiffLine = { n: number; text: string };
export type TDiffKind = 'same' | 'removed' | 'added' | 'changed';
export type TDiffRow = { left: TDiffLine | null; right: TDiffLine | null; kind: TDiffKind };
export type TLineEnding = 'lf' | 'crlf' | 'cr' | 'mixed' | 'none';
export type TSideInfo = { lines: number; eol: TLineEnding; finalNewline: boolean };

export type TDiffResult =
  | { ok: true; rows: TDiffRow[]; stats: { added: number; removed: number; changed: number }; left: TSideInfo; right: TSideInfo; identical: boolean }
  | { ok: false; reason: 'too-large'; left: TSideInfo; right: TSideInfo; limit: number };

/** Past this many lines on either side, diffing is not attempted. */
export const MAX_DIFF_LINES = 20_000;
/** Myers keeps one row of its state per edit: this bounds both time and memory. */
export const MAX_EDIT_DISTANCE = 1_500;

type TOp = { kind: 'same' | 'removed' | 'added'; a: number; b: number };

/** Lines split on LF, CRLF or CR (not on U+2028, which JSON strings may hold raw). A final newline ends the last line. */
export function splitLines(text: string): { lines: string[]; info: TSideInfo } {
  if (text === '') return { lines: [], info: { lines: 0, eol: 'none', finalNewline: false } };
  const lines = text.split(/\r\n|\n|\r/);
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const cr = (text.match(/\r/g) ?? []).length - crlf;
  const kinds = [crlf && 'crlf', lf && 'lf', cr && 'cr'].filter(Boolean) as TLineEnding[];
  const eol: TLineEnding = kinds.length === 0 ? 'none' : kinds.length > 1 ? 'mixed' : kinds[0]!;
  return { lines, info: { lines: lines.length, eol, finalNewline } };
}

export function diffLines(leftText: string, rightText: string): TDiffResult {
  const left = splitLines(leftText);
  const right = splitLines(rightText);
  if (left.lines.length > MAX_DIFF_LINES || right.lines.length > MAX_DIFF_LINES) {
    return { ok: false, reason: 'too-large', left: left.info, right: right.info, limit: MAX_DIFF_LINES };
  }
  const ops = diffSequences(intern(left.lines, right.lines));
  const rows = toRows(ops, left.lines, right.lines);
  const stats = { added: 0, removed: 0, changed: 0 };
  for (const row of rows) if (row.kind !== 'same') stats[row.kind]++;
  const identical = stats.added + stats.removed + stats.changed === 0;
  return { ok: true, rows, stats, left: left.info, right: right.info, identical };
}

/** Lines as small integers, so comparisons are cheap however long a line is. */
function intern(a: string[], b: string[]): { a: Int32Array; b: Int32Array } {
  const ids = new Map<string, number>();
  const toIds = (lines: string[]) => {
    const out = new Int32Array(lines.length);
    lines.forEach((line, i) => {
      let id = ids.get(line);
      if (id === undefined) ids.set(line, (id = ids.size));
      out[i] = id;
    });
    return out;
  };
  return { a: toIds(a), b: toIds(b) };
}

function diffSequences({ a, b }: { a: Int32Array; b: Int32Array }): TOp[] {
  const ops: TOp[] = [];
  diffSpan(a, 0, a.length, b, 0, b.length, ops);
  return ops;
}

/** Appends the ops turning a[aLo, aHi) into b[bLo, bHi). */
function diffSpan(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, ops: TOp[]): void {
  let prefix = 0;
  while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++;
  for (let i = 0; i < prefix; i++) ops.push({ kind: 'same', a: aLo + i, b: bLo + i });
  aLo += prefix;
  bLo += prefix;
  let suffix = 0;
  while (aHi - suffix > aLo && bHi - suffix > bLo && a[aHi - suffix - 1] === b[bHi - suffix - 1]) suffix++;
  const tail: TOp[] = [];
  for (let i = suffix; i > 0; i--) tail.push({ kind: 'same', a: aHi - i, b: bHi - i });
  aHi -= suffix;
  bHi -= suffix;

  if (aLo === aHi) for (let j = bLo; j < bHi; j++) ops.push({ kind: 'added', a: aLo, b: j });
  else if (bLo === bHi) for (let i = aLo; i < aHi; i++) ops.push({ kind: 'removed', a: i, b: bLo });
  else if (!myers(a, aLo, aHi, b, bLo, bHi, ops) && !splitOnAnchors(a, aLo, aHi, b, bLo, bHi, ops)) {
    replaceSpan(aLo, aHi, bLo, bHi, ops);
  }
  ops.push(...tail);
}

/** Myers' greedy forward search with a trace; false (nothing appended) when D would exceed the cap. */
function myers(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, ops: TOp[]): boolean {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        backtrack(trace, n, m, aLo, bLo, ops);
        return true;
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return false;
}

function backtrack(trace: Int32Array[], n: number, m: number, aLo: number, bLo: number, ops: TOp[]): void {
  const reversed: TOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1]!; // holds k in [-(d-1), d-1] at index k + d - 1
    const at = (k: number) => prev[k + d - 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) reversed.push({ kind: 'same', a: aLo + --x, b: bLo + --y });
    if (down) reversed.push({ kind: 'added', a: aLo + x, b: bLo + --y });
    else reversed.push({ kind: 'removed', a: aLo + --x, b: bLo + y });
  }
  while (x > 0 && y > 0) reversed.push({ kind: 'same', a: aLo + --x, b: bLo + --y });
  for (let i = reversed.length - 1; i >= 0; i--) ops.push(reversed[i]!);
}

/**
 * Patience split: the longest run (in order on both sides) of lines unique to each side
 * become fixed points; the spans between them are diffed on their own, each under the cap.
 */
function splitOnAnchors(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, ops: TOp[]): boolean {
  const countA = new Map<number, number>();
  const countB = new Map<number, number>();
  const posB = new Map<number, number>();
  for (let i = aLo; i < aHi; i++) countA.set(a[i]!, (countA.get(a[i]!) ?? 0) + 1);
  for (let j = bLo; j < bHi; j++) {
    countB.set(b[j]!, (countB.get(b[j]!) ?? 0) + 1);
    posB.set(b[j]!, j);
  }
  const pairs: [number, number][] = [];
  for (let i = aLo; i < aHi; i++) {
    const id = a[i]!;
    if (countA.get(id) === 1 && countB.get(id) === 1) pairs.push([i, posB.get(id)!]);
  }
  const anchors = longestIncreasing(pairs);
  // One anchor in a large span would only shift the problem into two equally large spans.
  if (anchors.length === 0 || (anchors.length === 1 && aHi - aLo > 2 * MAX_EDIT_DISTANCE)) return false;
  let i = aLo;
  let j = bLo;
  for (const [ai, bj] of anchors) {
    diffSpan(a, i, ai, b, j, bj, ops);
    ops.push({ kind: 'same', a: ai, b: bj });
    i = ai + 1;
    j = bj + 1;
  }
  diffSpan(a, i, aHi, b, j, bHi, ops);
  return true;
}

/** Longest subsequence of pairs (sorted by the first) increasing in the second: patience sorting, O(k log k). */
function longestIncreasing(pairs: [number, number][]): [number, number][] {
  const tails: number[] = [];
  const prev = new Int32Array(pairs.length).fill(-1);
  for (let p = 0; p < pairs.length; p++) {
    const value = pairs[p]![1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[p] = tails[lo - 1]!;
    tails[lo] = p;
  }
  const out: [number, number][] = [];
  for (let p = tails.length ? tails[tails.length - 1]! : -1; p >= 0; p = prev[p]!) out.push(pairs[p]!);
  return out.reverse();
}

function replaceSpan(aLo: number, aHi: number, bLo: number, bHi: number, ops: TOp[]): void {
  for (let i = aLo; i < aHi; i++) ops.push({ kind: 'removed', a: i, b: bLo });
  for (let j = bLo; j < bHi; j++) ops.push({ kind: 'added', a: aHi, b: j });
}

/** Side-by-side rows: within a run of edits, removed and added lines pair up as 'changed'. */
function toRows(ops: TOp[], left: string[], right: string[]): TDiffRow[] {
  const rows: TDiffRow[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    const pairs = Math.max(removed.length, added.length);
    for (let p = 0; p < pairs; p++) {
      const a = removed[p];
      const b = added[p];
      rows.push({
        left: a === undefined ? null : { n: a + 1, text: left[a]! },
        right: b === undefined ? null : { n: b + 1, text: right[b]! },
        kind: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
      });
    }
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op.kind === 'removed') removed.push(op.a);
    else if (op.kind === 'added') added.push(op.b);
    else {
      flush();
      rows.push({ left: { n: op.a + 1, text: left[op.a]! }, right: { n: op.b + 1, text: right[op.b]! }, kind: 'same' });
    }
  }
  flush();
  return rows;
}

export type TFoldedRow = TDiffRow | { kind: 'fold'; count: number; from: number };

/** Runs of unchanged rows longer than 2×context+1 collapse to a "N unchanged lines" marker. */
export function foldRows(rows: TDiffRow[], context = 3): TFoldedRow[] {
  const out: TFoldedRow[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]!.kind !== 'same') {
      out.push(rows[i++]!);
      continue;
    }
    let end = i;
    while (end < rows.length && rows[end]!.kind === 'same') end++;
    const keepHead = i === 0 ? 0 : context;
    const keepTail = end === rows.length ? 0 : context;
    if (end - i > keepHead + keepTail + 1) {
      out.push(...rows.slice(i, i + keepHead));
      out.push({ kind: 'fold', count: end - i - keepHead - keepTail, from: i + keepHead });
      out.push(...rows.slice(end - keepTail, end));
    } else {
      out.push(...rows.slice(i, end));
    }
    i = end;
  }
  return out;
}
