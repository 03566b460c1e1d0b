import { formatCount } from '../_lib/format';
import type { TDryRunSample } from '../_lib/use-jobs';

type TDiff = NonNullable<TDryRunSample['diff']>;
type TRow = Extract<TDiff, { ok: true }>['rows'][number];
type TLine = { n: number; text: string } | null;

// The dry run's patch diff comes from the server already folded (unchanged runs collapsed
// to a count), so it is drawn here with the same look as DiffView, which diffs two texts
// in the browser.

const SIDE: Record<'same' | 'removed' | 'added' | 'changed', { left: string; right: string }> = {
  same: { left: '', right: '' },
  removed: { left: 'bg-red-100 dark:bg-red-950/70', right: 'bg-sunken' },
  added: { left: 'bg-sunken', right: 'bg-green-100 dark:bg-green-950/70' },
  changed: { left: 'bg-red-100 dark:bg-red-950/70', right: 'bg-green-100 dark:bg-green-950/70' },
};
const MARK = { same: ['', ''], removed: ['−', ''], added: ['', '+'], changed: ['−', '+'] } as const;

function Cell({ line, tone, mark, divider = false }: { line: TLine; tone: string; mark: string; divider?: boolean }) {
  return (
    <>
      <td className={`w-10 px-1.5 text-right align-top text-muted select-none ${divider ? 'border-l border-line' : ''} ${tone}`}>{line?.n ?? ''}</td>
      <td className={`w-4 text-center align-top font-semibold select-none ${tone}`} aria-hidden>{line ? mark : ''}</td>
      <td className={`px-1.5 align-top break-all whitespace-pre-wrap ${tone}`}>{line?.text ?? ''}</td>
    </>
  );
}

function Row({ row }: { row: TRow }) {
  if (row.kind === 'fold') {
    return (
      <tr className="border-y border-line bg-sunken">
        <td colSpan={6} className="px-2 py-0.5 font-sans text-xs text-muted">{formatCount(row.count)} unchanged {row.count === 1 ? 'line' : 'lines'}</td>
      </tr>
    );
  }
  return (
    <tr data-kind={row.kind}>
      <Cell line={row.left} tone={SIDE[row.kind].left} mark={MARK[row.kind][0]} />
      <Cell line={row.right} tone={SIDE[row.kind].right} mark={MARK[row.kind][1]} divider />
    </tr>
  );
}

/** What the JSON patch does to one message of the dry run: its latest body before and after. */
export function JobDiffSample({ messageId, diff }: { messageId: string; diff: TDiff }) {
  const title = <p className="text-xs font-medium text-muted">What the patch does to message <span className="font-mono">{messageId}</span></p>;
  if (!diff.ok) {
    return (
      <div className="space-y-1">
        {title}
        <p className="rounded border border-line bg-panel px-3 py-2 text-[13px]">Too large to show ({formatCount(Math.max(diff.left.lines, diff.right.lines))} lines; the limit is {formatCount(diff.limit)}).</p>
      </div>
    );
  }
  const { stats } = diff;
  const changes = stats.changed + stats.added + stats.removed;
  return (
    <div className="space-y-1" data-testid="dry-run-diff">
      {title}
      <p className="text-xs text-muted">
        {diff.identical ? 'The patch changes nothing in this body.' : `Body: ${stats.changed} changed, ${stats.added} added, ${stats.removed} removed ${changes === 1 ? 'line' : 'lines'}.`}
      </p>
      {!diff.identical && (
        <div className="max-h-72 overflow-auto rounded border border-line bg-panel">
          <table aria-label="Body changes" className="w-full table-fixed border-collapse font-mono text-[12.5px] leading-5">
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
                <th colSpan={3} scope="col" className="px-2 py-1 font-medium">Latest body</th>
                <th colSpan={3} scope="col" className="border-l border-line px-2 py-1 font-medium">After the patch</th>
              </tr>
            </thead>
            <tbody>
              {diff.rows.map((row, i) => <Row key={i} row={row} />)}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
