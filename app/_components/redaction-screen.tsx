'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { headerPatternProblem, jsonPathProblem, type TRedactionKind, type TRedactionRule } from '@/lib/redaction/redaction-rule-dto';
import { formatDateTime } from '../_lib/format';
import { canDo, useMe } from '../_lib/use-me';
import { useCreateRedactionRule, useDeleteRedactionRule, useRedactionRules } from '../_lib/use-redaction-rules';
import { useHydrated } from '../_lib/use-hydrated';
import { AdminTable } from './admin-table';
import { DeleteButton } from './delete-button';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';

const td = 'px-2 py-1.5 align-top';
const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';
const KIND_LABELS: Record<TRedactionKind, string> = { json_path: 'JSON path', header: 'Header' };

export function RedactionScreen() {
  const me = useMe();
  const canManage = canDo(me.data, 'redaction:manage');
  const rules = useRedactionRules({ enabled: canManage || canDo(me.data, 'audit:read') });
  const remove = useDeleteRedactionRule();
  const [status, setStatus] = useState('');

  const columns = ['Kind', 'Pattern', 'Added by', 'Added', ...(canManage ? ['Actions'] : [])];
  let content;
  if (rules.isError) {
    content = <ErrorPanel title="Could not load redaction rules" error={rules.error} onRetry={() => void rules.refetch()} />;
  } else if (rules.data?.length === 0) {
    content = (
      <EmptyPanel title="No redaction rules">
        {canManage ? 'Every role that reads messages sees every value. Add a JSON path or a header name below to mask it.' : 'Every role that reads messages sees every value. An admin adds rules here.'}
      </EmptyPanel>
    );
  } else {
    content = (
      <AdminTable label="Redaction rules" columns={columns} loading={!rules.data} skeletonRows={2}>
        {rules.data?.map((r) => <RuleRow key={r.id} rule={r} canManage={canManage} isPending={remove.isPending && remove.variables === r.id}
          onDelete={() => remove.mutate(r.id, { onSuccess: () => setStatus(`Deleted rule ${r.pattern}.`) })} />)}
      </AdminTable>
    );
  }

  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Redaction</h1>
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      <p className="text-sm text-muted">
        Values these rules name are shown as <code className="font-mono text-[12.5px]">[redacted]</code> to roles without{' '}
        <code className="font-mono text-[12.5px]">messages:read-sensitive</code> (viewers, operators, support leads): on message pages, in the API,
        in exports and in audit diffs. Stored bytes never change and replays send the real values. JSON paths apply to JSON bodies only; header
        names match in any case.
      </p>
      {content}
      {remove.isError && <FormError error={remove.error} />}
      {canManage && <RuleForm onDone={setStatus} />}
    </div>
  );
}

function RuleRow({ rule, canManage, isPending, onDelete }: { rule: TRedactionRule; canManage: boolean; isPending: boolean; onDelete: () => void }) {
  return (
    <tr className="border-b border-line last:border-b-0">
      <td className={`${td} whitespace-nowrap`}>{KIND_LABELS[rule.kind]}</td>
      <th scope="row" id={`rule-${rule.id}`} className={`${td} text-left font-mono text-[12.5px] font-medium break-all`}>{rule.pattern}</th>
      <td className={`${td} break-all text-muted`}>{rule.createdBy}</td>
      <td className={`${td} whitespace-nowrap text-muted`}>{formatDateTime(rule.createdAt)}</td>
      {canManage && (
        <td className={`${td} w-0 text-right whitespace-nowrap`}>
          <DeleteButton what={`rule ${rule.pattern}`} describedBy={`rule-${rule.id}`} isPending={isPending} onConfirm={onDelete} />
        </td>
      )}
    </tr>
  );
}

function RuleForm({ onDone }: { onDone: (message: string) => void }) {
  const id = useId();
  const hydrated = useHydrated();
  const create = useCreateRedactionRule();
  const patternRef = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<TRedactionKind>('json_path');
  const [pattern, setPattern] = useState('');
  // The same checks as the server, while typing; the server still has the last word.
  const trimmed = pattern.trim();
  const problem = trimmed === '' ? null : kind === 'header' ? headerPatternProblem(trimmed) : jsonPathProblem(trimmed);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (problem || trimmed === '') return patternRef.current?.focus();
    create.mutate({ kind, pattern: trimmed }, {
      onSuccess: ({ rule }) => {
        setPattern('');
        patternRef.current?.focus();
        onDone(`Added ${rule.kind === 'header' ? 'header' : 'JSON path'} rule ${rule.pattern}.`);
      },
    });
  }

  const hint = kind === 'json_path'
    ? <>e.g. <code>$.card.number</code>, <code>$.items[*].pan</code>, <code>$..cvv</code>, <code>{"$['card no']"}</code></>
    : <>a header name, e.g. <code>authorization</code> (any case)</>;
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="rounded-md border border-line bg-panel p-3">
      <h2 id={`${id}-title`} className="text-sm font-semibold">Add a rule</h2>
      <fieldset disabled={!hydrated || create.isPending} className="mt-2.5 grid grid-cols-1 gap-x-3 gap-y-2 sm:grid-cols-[12rem_minmax(0,1fr)]">
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-kind`} className="text-xs font-medium text-muted">Kind</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as TRedactionKind)} className="field pr-1">
            <option value="json_path">JSON path (body)</option>
            <option value="header">Header name</option>
          </select>
        </div>
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-pattern`} className="text-xs font-medium text-muted">
            Pattern<span aria-hidden className="ml-0.5">*</span>
          </label>
          <input
            id={`${id}-pattern`}
            ref={patternRef}
            type="text"
            value={pattern}
            required
            autoComplete="off"
            spellCheck={false}
            placeholder={kind === 'json_path' ? '$.card.number' : 'authorization'}
            aria-invalid={problem ? true : undefined}
            aria-describedby={`${id}-pattern-hint${problem ? ` ${id}-pattern-problem` : ''}`}
            onChange={(e) => setPattern(e.target.value)}
            className={`field w-full font-mono placeholder:font-sans ${problem ? 'border-red-500 dark:border-red-400' : ''}`}
          />
          <p id={`${id}-pattern-hint`} className="text-[11px] text-muted">{hint}</p>
          {problem && <p id={`${id}-pattern-problem`} className="text-[12px] text-red-800 dark:text-red-300">{problem}</p>}
        </div>
      </fieldset>
      <div className="mt-3 flex items-center gap-2">
        <button type="submit" disabled={!hydrated || create.isPending || problem !== null} aria-busy={create.isPending} className={primary}>Add rule</button>
        {create.isPending && <span className="text-xs text-muted">Saving…</span>}
      </div>
      {create.isError && <div className="mt-2"><FormError error={create.error} /></div>}
    </form>
  );
}
