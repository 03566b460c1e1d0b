import type { Metadata } from 'next';
import { SourcesTable } from '../../_components/sources-table';

export const metadata: Metadata = { title: 'Sources' };

const code = 'rounded bg-sunken px-1 py-px font-mono text-[12px] text-fg';

export default function SourcesPage() {
  return (
    <div className="max-w-[1400px] space-y-3">
      <h1 className="text-base font-semibold">Sources</h1>
      <p className="text-sm text-muted">
        The dead-letter queues the worker consumes. Every message that reaches one is stored here, then acknowledged.
      </p>
      <SourcesTable />
      <div className="rounded-md border border-line bg-panel p-3 text-sm">
        <h2 className="font-semibold">Adding a source from a shell</h2>
        <p className="mt-1 text-muted">
          Run <code className={code}>npm run cli -- sources add &lt;queue&gt;</code> (the worker picks it up within seconds), or list the
          queues in <code className={code}>DLQ_SOURCES</code> (comma-separated) when starting the worker. The queue must exist on the
          broker; an error above names the one that does not. <code className={code}>sources protect &lt;queue&gt;</code> makes
          replays, redirects and discards of its messages wait for a second person’s approval.
        </p>
      </div>
    </div>
  );
}
