'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { TGroup } from '@/lib/groups/group-dto';
import { formatCount, formatDateTime } from '../_lib/format';
import { EMPTY_FILTERS } from '../_lib/message-filters';
import { useGroup } from '../_lib/use-groups';
import { useListKeys } from '../_lib/use-list-keys';
import { canDo, useMe } from '../_lib/use-me';
import { useMessages } from '../_lib/use-messages';
import { BulkJobLauncher } from './bulk-job-launcher';
import { ErrorPanel } from './error-panel';
import { GroupCategoryBadge } from './group-category-badge';
import { trendLabel } from './group-row';
import { GroupSignature } from './group-signature';
import { GroupStatusChips } from './group-status-chips';
import { EmptyPanel } from './empty-panel';
import { MessagesTable } from './messages-table';
import { RunbookEditor } from './runbook-editor';
import { RunbookLink } from './runbook-link';
import { Sparkline } from './sparkline';
import { TraceLink } from './trace-link';

export function GroupDetailScreen({ id }: { id: string }) {
  const group = useGroup(id);
  if (group.isError && !group.data) {
    return (
      <div className="space-y-3">
        <Link href="/groups" className="text-sm text-accent hover:underline">← Failure groups</Link>
        <ErrorPanel title="Could not load the failure group" error={group.error} onRetry={() => void group.refetch()} />
      </div>
    );
  }
  if (!group.data) {
    return (
      <div aria-busy="true" aria-label="Loading failure group" className="space-y-3">
        <div className="space-y-2 rounded-md border border-line bg-panel p-3">
          {['w-96', 'w-2/3', 'w-1/2'].map((w) => <div key={w} className={`h-3 animate-pulse rounded bg-sunken ${w}`} />)}
        </div>
      </div>
    );
  }
  return <GroupDetail group={group.data} />;
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-[13px]">{children}</dd>
    </div>
  );
}

function GroupDetail({ group: g }: { group: TGroup }) {
  const me = useMe();
  const router = useRouter();
  const filters = useMemo(() => ({ ...EMPTY_FILTERS, group: g.id }), [g.id]);
  const list = useMessages(filters);
  const messages = useMemo(() => list.data?.pages.flatMap((p) => p.items), [list.data]);
  const ids = useMemo(() => messages?.map((m) => m.id) ?? [], [messages]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const open = useCallback((mid: string) => router.push(`/messages/${mid}`), [router]);
  useListKeys({ ids, selectedId, select: setSelectedId, open, searchRef });

  let placeholder = null;
  if (list.isError && !list.data) placeholder = <div className="p-3"><ErrorPanel title="Could not load the group's messages" error={list.error} onRetry={() => void list.refetch()} /></div>;
  else if (messages?.length === 0) {
    placeholder = <EmptyPanel title="No stored messages in this group">The messages counted here have been purged; new ones will show up as they arrive.</EmptyPanel>;
  }

  return (
    <div className="space-y-3">
      <Link href="/groups" className="text-sm text-accent hover:underline">← Failure groups</Link>
      <header className="rounded-md border border-line bg-panel p-3">
        <div className="flex flex-wrap items-start gap-3">
          <h1 className="min-w-0 flex-1 text-base font-semibold">
            <span className="sr-only">Failure group {g.id}: </span>
            <GroupSignature group={g} large />
          </h1>
          <span className="font-mono text-xs text-muted">group #{g.id}</span>
        </div>
        <div className="mt-3 flex flex-wrap items-start gap-x-3 gap-y-1 rounded border border-line bg-sunken px-3 py-2" data-testid="group-guidance">
          <GroupCategoryBadge category={g.category} />
          <p className="min-w-0 flex-1 text-[13px]"><span className="font-medium">Suggested action:</span> {g.suggestedAction}</p>
          <RunbookLink runbook={g.runbook} />
        </div>
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 md:grid-cols-4 lg:grid-cols-6">
          <Fact label="Stored messages"><span className="tabular-nums">{formatCount(g.storedCount)}</span> <span className="text-muted">({formatCount(g.messageCount)} ever)</span></Fact>
          <Fact label="First seen"><span title={g.firstSeenAt}>{formatDateTime(g.firstSeenAt)}</span></Fact>
          <Fact label="Last seen"><span title={g.lastSeenAt}>{formatDateTime(g.lastSeenAt)}</span></Fact>
          <Fact label="Owner">{g.ownerTeam?.name ?? <span className="text-muted">—</span>}</Fact>
          <Fact label="Sample message">{g.sampleMessageId ? <Link href={`/messages/${g.sampleMessageId}`} className="font-mono text-accent hover:underline">#{g.sampleMessageId}</Link> : <span className="text-muted">—</span>}</Fact>
          {g.traceUrl && <Fact label="Trace (sample message)"><TraceLink traceUrl={g.traceUrl} traceUrlBy={g.traceUrlBy} /></Fact>}
          <Fact label="Framework">{g.framework ?? <span className="text-muted">—</span>}</Fact>
          <Fact label="Last 24 hours"><Sparkline values={g.trend} label={trendLabel(g.trend)} width={160} height={24} /></Fact>
          <div className="col-span-2 md:col-span-3 lg:col-span-5"><Fact label="By status"><GroupStatusChips byStatus={g.byStatus} /></Fact></div>
        </dl>
      </header>
      {canDo(me.data, 'settings:manage') && (
        <RunbookEditor key={`${g.id}:${g.runbook?.url ?? ''}`} targets={[
          { kind: 'group', key: g.id, label: 'this group', current: g.runbook?.kind === 'group' ? g.runbook.url : null },
          ...(g.originQueue ? [{ kind: 'origin' as const, key: g.originQueue, label: `origin queue ${g.originQueue}`, current: g.runbook?.kind === 'origin' ? g.runbook.url : null }] : []),
        ]} />
      )}
      <section aria-labelledby="group-messages" className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="group-messages" className="text-sm font-semibold">Messages in this group</h2>
          <div className="ml-auto"><BulkJobLauncher filters={{ group: g.id }} /></div>
        </div>
        <MessagesTable messages={messages} selectedId={selectedId} onOpen={open} placeholder={placeholder} />
        {list.hasNextPage && (
          <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} className="btn h-7 text-xs">
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        )}
      </section>
    </div>
  );
}
