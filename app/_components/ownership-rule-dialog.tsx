'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { jsonPathProblem, MAX_GLOB_STARS } from '@/lib/ownership/match-patterns';
import { MATCH_KIND_LABELS, MATCH_KINDS, matchProblem, type TMatchKind, type TOwnershipRule, type TOwnershipRuleFields } from '@/lib/ownership/ownership-rule-dto';
import type { TRulePreview } from '@/lib/ownership/preview-ownership-rule';
import { formatCount, formatDateTime, formatRelative } from '../_lib/format';
import { useNow } from '../_lib/use-now';
import { usePreviewOwnershipRule, useSaveOwnershipRule } from '../_lib/use-ownership-rules';
import { useTeams } from '../_lib/use-teams';
import { AdminDialog } from './admin-dialog';
import { FormError } from './form-error';
import { FormField } from './form-field';
import { StatusBadge } from './status-badge';
import type { TMessageStatus } from '@/lib/messages/message-dto';

const PATTERN_HINTS: Record<TMatchKind, { key?: string; keyPlaceholder?: string; pattern: string; placeholder: string }> = {
  origin_queue: { pattern: `The queue that dead-lettered it; * stands for any characters (${MAX_GLOB_STARS} * at most).`, placeholder: 'billing.*' },
  routing_key: { pattern: 'As a topic exchange binds: words split on dots, * is one word, # is zero or more.', placeholder: 'invoice.*.eu' },
  header: { key: 'The header name, exactly (case matters).', keyPlaceholder: 'x-tenant', pattern: `Its value exactly; * stands for any characters (${MAX_GLOB_STARS} * at most).`, placeholder: 'acme-*' },
  json_path: { key: 'A path into a JSON body: $.a.b, $.items[0].sku, $[\'a b\'].', keyPlaceholder: '$.customer.region', pattern: 'The value there, exactly (numbers and true/false as written in JSON).', placeholder: 'eu' },
};

/** Adds or edits a rule; "Preview" tries the rule as it is in the form against recent messages before anything is saved. */
export function OwnershipRuleDialog({ rule, onClose, onSaved }: { rule: TOwnershipRule | null; onClose: () => void; onSaved: (rule: TOwnershipRule) => void }) {
  const id = useId();
  const teams = useTeams();
  const save = useSaveOwnershipRule();
  const preview = usePreviewOwnershipRule();
  const [teamId, setTeamId] = useState(rule?.teamId ?? '');
  const [kind, setKind] = useState<TMatchKind>(rule?.matchKind ?? 'origin_queue');
  const [key, setKey] = useState(rule?.matchKey ?? '');
  const [pattern, setPattern] = useState(rule?.pattern ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  // A preview answers for the fields it was asked with: a change to them hides it.
  const [previewed, setPreviewed] = useState<string | null>(null);

  const needsKey = kind === 'header' || kind === 'json_path';
  const body: TOwnershipRuleFields = { teamId, matchKind: kind, matchKey: needsKey ? key.trim() : null, pattern, enabled };
  const fingerprint = JSON.stringify(body);
  const problem = !pattern ? null : kind === 'json_path' && key.trim() && jsonPathProblem(key.trim()) ? `Path: ${jsonPathProblem(key.trim())}` : needsKey && !key.trim() ? null : matchProblem(body as Parameters<typeof matchProblem>[0]);
  const complete = teamId !== '' && pattern !== '' && (!needsKey || key.trim() !== '') && problem === null;
  const hints = PATTERN_HINTS[kind];

  function runPreview() {
    setPreviewed(fingerprint);
    preview.mutate(body);
  }

  return (
    <AdminDialog
      title={rule ? `Edit rule ${rule.position}` : 'Add an ownership rule'}
      description={rule ? 'Changes apply to messages that arrive from now on.' : 'It is tried after the existing rules; move it up in the table if it should win over them.'}
      submitLabel={rule ? 'Save rule' : 'Add rule'}
      isPending={save.isPending}
      canSubmit={complete}
      onClose={onClose}
      onSubmit={() => save.mutate({ id: rule?.id, body }, { onSuccess: ({ rule: saved }) => onSaved(saved) })}
      error={save.isError ? <FormError error={save.error} /> : null}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-team`} className="text-xs font-medium text-muted">Team<span aria-hidden className="ml-0.5">*</span></label>
          <select id={`${id}-team`} required value={teamId} onChange={(e) => setTeamId(e.target.value)} className="field pr-1">
            <option value="">{teams.isPending ? 'Loading teams…' : 'Choose a team'}</option>
            {teams.data?.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
          {teams.data?.length === 0 && <p className="text-[11px] text-muted">No teams yet: add one on the <Link href="/teams" className="text-accent hover:underline">Teams</Link> page.</p>}
        </div>
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-kind`} className="text-xs font-medium text-muted">Match by</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as TMatchKind)} className="field pr-1">
            {MATCH_KINDS.map((k) => <option key={k} value={k}>{MATCH_KIND_LABELS[k]}</option>)}
          </select>
        </div>
      </div>
      {needsKey && (
        <FormField id={`${id}-key`} label={kind === 'header' ? 'Header name' : 'JSON path'} value={key} onChange={setKey} required mono placeholder={hints.keyPlaceholder} hint={hints.key} />
      )}
      <FormField id={`${id}-pattern`} label={kind === 'header' || kind === 'json_path' ? 'Value' : 'Pattern'} value={pattern} onChange={setPattern} required mono placeholder={hints.placeholder} hint={hints.pattern} />
      {problem && <p className="text-[12px] text-red-800 dark:text-red-300">{problem}</p>}
      <label className="flex items-center gap-2 text-[13px]">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      <div className="rounded-md border border-line bg-sunken p-2.5">
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className="btn h-7 px-2 text-xs" disabled={!complete || preview.isPending} aria-busy={preview.isPending} onClick={runPreview}>
            Preview
          </button>
          <span className="text-xs text-muted">Tries the rule on the 1,000 most recent messages you can see. Nothing is saved.</span>
        </div>
        {previewed === fingerprint && preview.isError && <div className="mt-2"><FormError error={preview.error} /></div>}
        {previewed === fingerprint && preview.data && <PreviewResult preview={preview.data} />}
        {previewed !== null && previewed !== fingerprint && <p className="mt-2 text-xs text-muted">The rule changed since the preview: preview it again.</p>}
      </div>
    </AdminDialog>
  );
}

const SAMPLE_COLUMNS = [['Id', 'w-12'], ['Origin', ''], ['Routing key', ''], ['Status', 'w-20'], ['Owner now', 'w-24'], ['Arrived', 'w-16']] as const;

function PreviewResult({ preview }: { preview: TRulePreview }) {
  const now = useNow();
  return (
    <div className="mt-2 space-y-2" aria-live="polite">
      <p className="text-[13px]" data-testid="preview-summary">
        Matches <strong>{formatCount(preview.matched)}</strong> of the {formatCount(preview.scanned)} most recent messages
        {preview.matched > 0 && <>; <strong>{formatCount(preview.changes)}</strong> would change owner</>}.
      </p>
      {preview.sample.length > 0 && (
        // w-0 min-w-full: the sample never widens the dialog (a fieldset grows to its widest content); long names are cut, in full on hover.
        <div className="max-h-56 w-0 min-w-full overflow-auto rounded border border-line bg-panel">
          <table aria-label="Matched messages (sample)" className="w-full table-fixed border-collapse text-[12.5px]">
            <thead>
              <tr className="border-b border-line bg-sunken text-xs text-muted">
                {SAMPLE_COLUMNS.map(([c, width]) => <th key={c} scope="col" className={`px-2 py-1 text-left font-medium whitespace-nowrap ${width}`}>{c}</th>)}
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((m) => (
                <tr key={m.id} className="border-b border-line last:border-b-0">
                  <td className="truncate px-2 py-1 font-mono"><Link href={`/messages/${m.id}`} target="_blank" className="text-accent hover:underline">{m.id}</Link></td>
                  <td className="truncate px-2 py-1 font-mono" title={m.originQueue ?? undefined}>{m.originQueue ?? <span className="text-muted">–</span>}</td>
                  <td className="truncate px-2 py-1 font-mono" title={m.routingKey ?? undefined}>{m.routingKey ?? <span className="text-muted">–</span>}</td>
                  <td className="px-2 py-1 whitespace-nowrap"><StatusBadge status={m.status as TMessageStatus} /></td>
                  <td className="truncate px-2 py-1" title={m.ownerTeamName ?? undefined}>{m.ownerTeamName ?? <span className="text-muted">none</span>}</td>
                  <td className="px-2 py-1 whitespace-nowrap text-muted" title={formatDateTime(m.ingestedAt)}>{formatRelative(m.ingestedAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
