import Link from 'next/link';

type TProps = { filtered: boolean; onClear: () => void };

export function ListEmptyState({ filtered, onClear }: TProps) {
  if (filtered) {
    return (
      <div className="px-4 py-10 text-center">
        <p className="text-sm font-semibold">No dead letters match these filters</p>
        <p className="mt-1 text-[13px] text-muted">Widen the time range or remove a filter.</p>
        <button type="button" onClick={onClear} className="btn mt-3">Clear filters</button>
      </div>
    );
  }
  return (
    <div className="px-4 py-10 text-center">
      <p className="text-sm font-semibold">No dead letters stored yet</p>
      <p className="mx-auto mt-1 max-w-xl text-[13px] text-muted">
        The worker stores every message that reaches one of the configured source queues. If you expected some here,
        check that the worker is running and that its sources are consuming on the{' '}
        <Link href="/sources" className="text-accent underline">Sources</Link> page.
      </p>
    </div>
  );
}
