'use client';

import { useCallback, type Ref } from 'react';
import { ACTION_GROUP_LABELS, ACTION_GROUP_NAMES } from '@/lib/audit/action-groups';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '@/lib/audit/record-audit-event';
import type { TAuditFilters } from '../_lib/use-audit-events';
import { useHydrated } from '../_lib/use-hydrated';
import { useSources } from '../_lib/use-sources';
import { useTeams } from '../_lib/use-teams';
import { DateFilter } from './date-filter';
import { SelectFilter } from './select-filter';
import { TextFilter } from './text-filter';

type TProps = {
  filters: TAuditFilters;
  setFilters: (patch: Partial<TAuditFilters>) => void;
  clearFilters: () => void;
  hasFilters: boolean;
  searchRef: Ref<HTMLInputElement>;
};

const always = () => true;
const isKnownAction = (value: string) => (ACTION_GROUP_NAMES as string[]).includes(value) || (AUDIT_ACTIONS as readonly string[]).includes(value);

/** Groups first ("all replays"), then every single action. */
function ActionFilter({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor="audit-action" className="text-xs font-medium text-muted">Action</label>
      <select id="audit-action" value={value} onChange={(e) => onChange(e.target.value)} className="field max-w-64 pr-1">
        <option value="">Any action</option>
        {/* A value from a shared link that this build does not know stays selectable; the server says what is wrong with it. */}
        {value !== '' && !isKnownAction(value) ? <option value={value}>{value}</option> : null}
        <optgroup label="Groups">
          {ACTION_GROUP_NAMES.map((g) => <option key={g} value={g}>{ACTION_GROUP_LABELS[g]}</option>)}
        </optgroup>
        <optgroup label="Actions">
          {AUDIT_ACTIONS.map((a) => <option key={a} value={a} className="font-mono">{a}</option>)}
        </optgroup>
      </select>
    </div>
  );
}

export function AuditFilterBar({ filters, setFilters, clearFilters, hasFilters, searchRef }: TProps) {
  const hydrated = useHydrated();
  const teams = useTeams();
  const sources = useSources();
  const commitActor = useCallback((actor: string) => setFilters({ actor }), [setFilters]);
  const commitOrigin = useCallback((origin: string) => setFilters({ origin }), [setFilters]);
  const commitMessage = useCallback((messageId: string) => setFilters({ messageId }), [setFilters]);

  return (
    <form role="search" aria-label="Filter audit events" onSubmit={(e) => e.preventDefault()}>
      <fieldset disabled={!hydrated} className="flex min-w-0 flex-wrap items-end gap-x-3 gap-y-2">
        <TextFilter
          id="audit-actor" label="Actor" value={filters.actor} onCommit={commitActor} isReady={always} inputRef={searchRef}
          placeholder="user:ana@… or user:*" className="w-56" hint={<span className="text-muted">end with * for a prefix</span>}
        />
        <ActionFilter value={filters.action} onChange={(action) => setFilters({ action })} />
        <SelectFilter
          id="audit-team" label="Team" value={filters.team} options={teams.data?.map((t) => t.name) ?? []}
          anyLabel={teams.isPending ? 'Any team (loading…)' : 'Any team'} onChange={(team) => setFilters({ team })}
        />
        {/* Queue names can be long: the select keeps its width and the menu shows them whole. */}
        <div className="w-52 [&_select]:w-full">
          <SelectFilter
            id="audit-source" label="Source" value={filters.source} options={sources.data?.map((s) => s.queue) ?? []}
            anyLabel={sources.isPending ? 'Any source (loading…)' : 'Any source'} onChange={(source) => setFilters({ source })} mono
          />
        </div>
        <TextFilter id="audit-origin" label="Origin" value={filters.origin} onCommit={commitOrigin} isReady={always} placeholder="exact queue name" className="w-40" />
        <SelectFilter id="audit-outcome" label="Outcome" value={filters.outcome} options={AUDIT_OUTCOMES} anyLabel="Any outcome" onChange={(outcome) => setFilters({ outcome })} />
        <TextFilter id="audit-message" label="Message" value={filters.messageId} onCommit={commitMessage} isReady={always} placeholder="e.g. 1234" className="w-28" />
        <DateFilter id="audit-from" label="From" value={filters.from} onChange={(from) => setFilters({ from })} />
        <DateFilter id="audit-to" label="To" value={filters.to} onChange={(to) => setFilters({ to })} isUpperBound />
        <button type="button" onClick={clearFilters} disabled={!hasFilters} className="btn">Clear filters</button>
      </fieldset>
    </form>
  );
}
