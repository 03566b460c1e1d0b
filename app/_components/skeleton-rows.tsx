const WIDTHS = ['w-3/4', 'w-1/2', 'w-2/3', 'w-5/6', 'w-1/3'];

/** Grey bars where rows will be, so a slow query never looks like an empty result. */
export function SkeletonRows({ rows = 8, columns }: { rows?: number; columns: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} aria-hidden className="border-b border-line">
          {Array.from({ length: columns }, (_, c) => (
            <td key={c} className="px-2 py-2">
              <div className={`h-3 animate-pulse rounded bg-line/70 ${WIDTHS[(r + c) % WIDTHS.length]}`} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
