'use client';

import { useMemo, useState } from 'react';
import { diffLines, foldRows, type TDiffLine, type TDiffRow, type TLineEnding } from '@/lib/diff/diff-lines';
import { formatCount } from '../_lib/format';
import { VisibleText } from './visible-text';

type TProps = { label: string; before: string; after: string; beforeName: string; afterName: string };

const EOL_NAMES: Record<TLineEnding, string> = { lf: 'LF', crlf: 'CRLF', cr: 'CR', mixed: 'mixed', none: 'none' };

const SIDE: Record<TDiffRow['kind'], { left: string; right: string }> = {
  same: { left: '', right: '' },
  removed: { left: 'bg-red-100 dark:bg-red-950/70', right: 'bg-sunken' },
  added: { left: 'bg-sunken', right: 'bg-green-100 dark:bg-green-950/70' },
  changed: { left: 'bg-red-100 dark:bg-red-950/70', right: 'bg-green-100 dark:bg-green-950/70' },
};
const MARK: Record<TDiffRow['kind'], { left: string; right: string }> = {
  same: { left: ' ', right: ' ' },
  removed: { left: '−', right: ' ' },
  added: { left: ' ', right: '+' },
  changed: { left: '−', right: '+' },
};

function Cell({ line, tone, mark, divider = false }: { line: TDiffLine | null; tone: string; mark: string; divider?: boolean }) {
  return (
    <>
      <td className={`w-10 px-1.5 text-right align-top text-muted select-none ${divider ? 'border-l border-line' : ''} ${tone}`}>{line?.n ?? ''}</td>
      <td className={`w-4 text-center align-top font-semibold select-none ${tone}`} aria-hidden>{line ? mark.trim() : ''}</td>
      <td className={`px-1.5 align-top break-all whitespace-pre-wrap ${tone}`}>{line ? <VisibleText text={line.text} /> : ''}</td>
    </>
  );
}

/** Side by side: removed lines red on the left, added green on the right, unchanged runs folded. */
export function DiffView({ label, before, after, beforeName, afterName }: TProps) {
  const result = useMemo(() => diffLines(before, after), [before, after]);
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set());
  const folded = useMemo(() => (result.ok ? foldRows(result.rows, 3) : []), [result]);

  if (!result.ok) {
    return (
      <p className="rounded border border-line bg-sunken px-3 py-2 text-[13px]">
        Too large to diff in the browser ({formatCount(Math.max(result.left.lines, result.right.lines))} lines; the limit is {formatCount(result.limit)}).
      </p>
    );
  }
  const { stats } = result;
  const eolChanged = result.left.eol !== result.right.eol && result.left.lines > 0 && result.right.lines > 0;
  const newlineChanged = result.left.finalNewline !== result.right.finalNewline && result.left.lines > 0 && result.right.lines > 0;

  return (
    <div className="space-y-1.5">
      <p className="text-xs text-muted" aria-live="polite">
        {result.identical
          ? `No changes to the ${label.toLowerCase()}.`
          : `${label}: ${stats.changed} changed, ${stats.added} added, ${stats.removed} removed ${stats.changed + stats.added + stats.removed === 1 ? 'line' : 'lines'}.`}
        {eolChanged && ` Line endings ${EOL_NAMES[result.left.eol]} → ${EOL_NAMES[result.right.eol]}.`}
        {newlineChanged && (result.right.finalNewline ? ' Adds a final newline.' : ' Removes the final newline.')}
      </p>
      {!result.identical && (
        <div className="max-h-[32rem] overflow-auto rounded border border-line">
          <table aria-label={`${label} changes`} className="w-full table-fixed border-collapse font-mono text-[12.5px] leading-5">
            <colgroup>
              <col className="w-10" />
              <col className="w-4" />
              <col />
              <col className="w-10" />
              <col className="w-4" />
              <col />
            </colgroup>
            <thead>
              <tr className="sticky top-0 z-10 border-b border-line bg-panel text-left font-sans text-xs text-muted">
                <th colSpan={3} scope="col" className="px-2 py-1 font-medium">{beforeName}</th>
                <th colSpan={3} scope="col" className="border-l border-line px-2 py-1 font-medium">{afterName}</th>
              </tr>
            </thead>
            <tbody>
              {folded.map((row, i) => {
                if (row.kind === 'fold') {
                  if (expanded.has(row.from)) {
                    return result.rows.slice(row.from, row.from + row.count).map((r, j) => <Row key={`${i}-${j}`} row={r} />);
                  }
                  return (
                    <tr key={i} className="border-y border-line bg-sunken">
                      <td colSpan={6} className="px-2 py-0.5 font-sans text-xs">
                        <button type="button" className="cursor-pointer text-accent hover:underline" onClick={() => setExpanded((s) => new Set(s).add(row.from))}>
                          Show {formatCount(row.count)} unchanged {row.count === 1 ? 'line' : 'lines'}
                        </button>
                      </td>
                    </tr>
                  );
                }
                return <Row key={i} row={row} />;
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Row({ row }: { row: TDiffRow }) {
  return (
    <tr data-kind={row.kind}>
      <Cell line={row.left} tone={SIDE[row.kind].left} mark={MARK[row.kind].left} />
      <Cell line={row.right} tone={SIDE[row.kind].right} mark={MARK[row.kind].right} divider />
    </tr>
  );
}
