'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { RULE_FIELDS, SUGGESTED_ACTIONS, type TRuleField } from '@/lib/groups/categories';
import { MAX_PATTERN_LENGTH, MAX_PATTERN_STARS, patternProblem, type TBuiltInRuleDto, type TCategoryRuleDto } from '@/lib/groups/category-rule-dto';
import { formatDateTime } from '../_lib/format';
import { useCreateFailureCategoryRule, useDeleteFailureCategoryRule, useFailureCategoryRules } from '../_lib/use-failure-categories';
import { useHydrated } from '../_lib/use-hydrated';
import { canDo, useMe } from '../_lib/use-me';
import { AdminTable } from './admin-table';
import { DeleteButton } from './delete-button';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { GroupCategoryBadge } from './group-category-badge';

const td = 'px-2 py-1.5 align-top';
const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';
const FIELD_LABELS: Record<TRuleField, string> = { reason: 'Reason', exception_type: 'Exception type', exception_message: 'Exception message', any: 'Any of them' };

export function FailureCategoriesScreen() {
  const me = useMe();
  const canManage = canDo(me.data, 'settings:manage');
  const rules = useFailureCategoryRules({ enabled: canManage || canDo(me.data, 'audit:read') });
  const remove = useDeleteFailureCategoryRule();
  const [status, setStatus] = useState('');
  const items = rules.data?.items;

  const columns = ['#', 'Field', 'Pattern', 'Category', 'Suggested action', 'Added by', ...(canManage ? ['Actions'] : [])];
  let content;
  if (rules.isError) {
    content = <ErrorPanel title="Could not load category rules" error={rules.error} onRetry={() => void rules.refetch()} />;
  } else if (items?.length === 0) {
    content = (
      <EmptyPanel title="No category rules of your own">
        {canManage ? 'The built-in rules below decide. Add a rule to put a failure in a category before them.' : 'The built-in rules below decide. An admin adds rules here.'}
      </EmptyPanel>
    );
  } else {
    content = (
      <AdminTable label="Category rules" columns={columns} loading={!items} skeletonRows={2}>
        {items?.map((r) => (
          <RuleRow key={r.id} rule={r} canManage={canManage} isPending={remove.isPending && remove.variables === r.id}
            onDelete={() => remove.mutate(r.id, { onSuccess: ({ groupsChanged }) => setStatus(`Deleted rule ${r.pattern}; ${groupsChanged} group(s) changed category.`) })} />
        ))}
      </AdminTable>
    );
  }

  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Failure categories</h1>
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      <p className="text-sm text-muted">
        Every failure group is <strong>transient</strong> (it will pass: replay later), <strong>persistent</strong> (it will fail again until the
        message or the consumer is fixed) or <strong>unknown</strong>. Your rules are checked first, top to bottom, then the built-in ones; the
        first match wins. A pattern is text with <code className="font-mono">*</code> wildcards (any run of characters), case-insensitive,
        that matches anywhere in the field; every other character, <code className="font-mono">.</code> and brackets included, stands for
        itself. At most {MAX_PATTERN_LENGTH} characters and {MAX_PATTERN_STARS} wildcards. The built-in rules below are regular expressions
        kept in code. A change recomputes every group at once.
      </p>
      <h2 className="text-sm font-semibold">Your rules</h2>
      {content}
      {remove.isError && <FormError error={remove.error} />}
      {canManage && <RuleForm onDone={setStatus} />}
      <BuiltInRules rules={rules.data?.builtIn} />
    </div>
  );
}

function RuleRow({ rule, canManage, isPending, onDelete }: { rule: TCategoryRuleDto; canManage: boolean; isPending: boolean; onDelete: () => void }) {
  return (
    <tr className="border-b border-line last:border-b-0">
      <td className={`${td} tabular-nums text-muted`}>{rule.position}</td>
      <td className={`${td} whitespace-nowrap`}>{FIELD_LABELS[rule.field]}</td>
      <th scope="row" id={`category-rule-${rule.id}`} className={`${td} text-left font-mono text-[12.5px] font-medium break-all`}>{rule.pattern}</th>
      <td className={td}><GroupCategoryBadge category={rule.category} /></td>
      <td className={`${td} text-[12.5px]`}>{rule.suggestedAction ?? <span className="text-muted">{SUGGESTED_ACTIONS[rule.category]} (default)</span>}</td>
      <td className={`${td} break-all text-muted`} title={formatDateTime(rule.createdAt)}>{rule.createdBy}</td>
      {canManage && (
        <td className={`${td} w-0 text-right whitespace-nowrap`}>
          <DeleteButton what={`rule ${rule.pattern}`} describedBy={`category-rule-${rule.id}`} isPending={isPending} onConfirm={onDelete} />
        </td>
      )}
    </tr>
  );
}

function BuiltInRules({ rules }: { rules: TBuiltInRuleDto[] | undefined }) {
  return (
    <section aria-labelledby="built-in-rules" className="space-y-2">
      <h2 id="built-in-rules" className="text-sm font-semibold">Built-in rules <span className="font-normal text-muted">(read-only, checked after yours)</span></h2>
      <AdminTable label="Built-in category rules" columns={['Rule', 'Field', 'Pattern', 'Category', 'Suggested action']} loading={!rules} skeletonRows={4}>
        {rules?.map((r) => (
          <tr key={r.id} className="border-b border-line last:border-b-0">
            <th scope="row" className={`${td} text-left font-medium`}>{r.description}</th>
            <td className={`${td} whitespace-nowrap`}>{FIELD_LABELS[r.field]}</td>
            <td className={`${td} max-w-[28rem] font-mono text-[12px] break-all text-muted`}>{r.pattern}</td>
            <td className={td}><GroupCategoryBadge category={r.category} /></td>
            <td className={`${td} text-[12.5px]`}>{r.suggestedAction ?? SUGGESTED_ACTIONS[r.category]}</td>
          </tr>
        ))}
      </AdminTable>
    </section>
  );
}

function RuleForm({ onDone }: { onDone: (message: string) => void }) {
  const id = useId();
  const hydrated = useHydrated();
  const create = useCreateFailureCategoryRule();
  const patternRef = useRef<HTMLInputElement>(null);
  const [field, setField] = useState<TRuleField>('exception_type');
  const [pattern, setPattern] = useState('');
  const [category, setCategory] = useState<'transient' | 'persistent'>('persistent');
  const [action, setAction] = useState('');
  const [position, setPosition] = useState('');
  // The same checks as the server, while typing; the server still has the last word.
  const problem = pattern === '' ? null : patternProblem(pattern);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (problem || pattern === '') return patternRef.current?.focus();
    const body = { field, pattern, category, ...(action.trim() ? { suggestedAction: action.trim() } : {}), ...(position ? { position: Number(position) } : {}) };
    create.mutate(body, {
      onSuccess: ({ rule, groupsChanged }) => {
        setPattern('');
        setAction('');
        setPosition('');
        patternRef.current?.focus();
        onDone(`Added rule ${rule.pattern} at position ${rule.position}; ${groupsChanged} group(s) changed category.`);
      },
    });
  }

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} className="rounded-md border border-line bg-panel p-3">
      <h2 id={`${id}-title`} className="text-sm font-semibold">Add a rule</h2>
      <fieldset disabled={!hydrated || create.isPending} className="mt-2.5 grid grid-cols-1 gap-x-3 gap-y-2 sm:grid-cols-[10rem_minmax(0,1fr)_9rem_6rem]">
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-field`} className="text-xs font-medium text-muted">Field</label>
          <select id={`${id}-field`} value={field} onChange={(e) => setField(e.target.value as TRuleField)} className="field pr-1">
            {RULE_FIELDS.map((f) => <option key={f} value={f}>{FIELD_LABELS[f]}</option>)}
          </select>
        </div>
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-pattern`} className="text-xs font-medium text-muted">Pattern (text, * wildcards)<span aria-hidden className="ml-0.5">*</span></label>
          <input id={`${id}-pattern`} ref={patternRef} type="text" value={pattern} required maxLength={MAX_PATTERN_LENGTH * 2} autoComplete="off" spellCheck={false}
            placeholder="OrderNotFound*Exception" aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-pattern-problem` : undefined} onChange={(e) => setPattern(e.target.value)}
            className={`field w-full font-mono placeholder:font-sans ${problem ? 'border-red-500 dark:border-red-400' : ''}`} />
          {problem && <p id={`${id}-pattern-problem`} className="text-[12px] text-red-800 dark:text-red-300">{problem}</p>}
        </div>
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-category`} className="text-xs font-medium text-muted">Category</label>
          <select id={`${id}-category`} value={category} onChange={(e) => setCategory(e.target.value as 'transient' | 'persistent')} className="field pr-1">
            <option value="persistent">persistent</option>
            <option value="transient">transient</option>
          </select>
        </div>
        <div className="flex flex-col gap-0.5">
          <label htmlFor={`${id}-position`} className="text-xs font-medium text-muted">Position</label>
          <input id={`${id}-position`} type="number" min={1} value={position} onChange={(e) => setPosition(e.target.value)} placeholder="last" className="field w-full" />
        </div>
        <div className="flex flex-col gap-0.5 sm:col-span-4">
          <label htmlFor={`${id}-action`} className="text-xs font-medium text-muted">Suggested action (optional)</label>
          <input id={`${id}-action`} type="text" value={action} maxLength={500} onChange={(e) => setAction(e.target.value)} placeholder={SUGGESTED_ACTIONS[category]} className="field w-full" />
        </div>
      </fieldset>
      <div className="mt-3 flex items-center gap-2">
        <button type="submit" disabled={!hydrated || create.isPending || problem !== null} aria-busy={create.isPending} className={primary}>Add rule</button>
        {create.isPending && <span className="text-xs text-muted">Saving and recomputing categories…</span>}
      </div>
      {create.isError && <div className="mt-2"><FormError error={create.error} /></div>}
    </form>
  );
}
