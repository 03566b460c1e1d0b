'use client';

import { useId, useState, type ReactNode } from 'react';
import { BASELINE_MIN_VALUE_DEFAULT, describeRule, METRIC_LABELS, METRICS, ruleProblem, webhookUrlProblem, type TAlertRule, type TAlertRuleFields, type TComparison, type TMetric, type TSubjectKind, type TWebhookFormat } from '@/lib/alerts/alert-rule-dto';
import { useSaveAlertRule } from '../_lib/use-alerts';
import { AdminDialog } from './admin-dialog';
import { FormError } from './form-error';
import { FormField } from './form-field';

const label = 'text-xs font-medium text-muted';
const hintClass = 'text-[11px] text-muted';

/** Adds or edits an alert rule. An existing webhook URL and secret are never shown: leave them empty to keep them. */
export function AlertRuleDialog({ rule, onClose, onSaved }: { rule: TAlertRule | null; onClose: () => void; onSaved: (rule: TAlertRule) => void }) {
  const id = useId();
  const save = useSaveAlertRule();
  const [name, setName] = useState(rule?.name ?? '');
  const [subjectKind, setSubjectKind] = useState<TSubjectKind>(rule?.subjectKind ?? 'source');
  const [subject, setSubject] = useState(rule?.subject ?? '');
  const [metric, setMetric] = useState<TMetric>(rule?.metric ?? 'inflow');
  const [comparison, setComparison] = useState<TComparison>(rule?.comparison ?? 'above');
  const [threshold, setThreshold] = useState(rule ? String(rule.threshold) : '');
  // A baseline rule needs minValue > 0 (a queue quiet on the previous days has baseline 0): start at 1/min.
  const [minValue, setMinValue] = useState(rule?.comparison === 'baseline' ? String(rule.minValue) : String(BASELINE_MIN_VALUE_DEFAULT));
  const [windowMinutes, setWindowMinutes] = useState(rule ? String(rule.windowMinutes) : '5');
  const [forMinutes, setForMinutes] = useState(rule ? String(rule.forMinutes) : '0');
  const [webhookUrl, setWebhookUrl] = useState('');
  const [removeWebhook, setRemoveWebhook] = useState(false);
  const [webhookFormat, setWebhookFormat] = useState<TWebhookFormat>(rule?.webhookFormat ?? 'json');
  const [secret, setSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);

  const effectiveComparison: TComparison = metric === 'unresolved' ? 'above' : comparison;
  const hasWebhook = removeWebhook ? false : webhookUrl.trim() !== '' || Boolean(rule?.webhook);
  const numbers = { threshold: Number(threshold), minValue: Number(minValue), windowMinutes: Number(windowMinutes), forMinutes: Number(forMinutes) };
  const fields: TAlertRuleFields = {
    name: name.trim(), subjectKind, subject: subject.trim(), metric, comparison: effectiveComparison, threshold: numbers.threshold,
    minValue: effectiveComparison === 'baseline' ? numbers.minValue : 0, windowMinutes: numbers.windowMinutes, forMinutes: numbers.forMinutes, webhookFormat, enabled,
  };
  const problem =
    (webhookUrl.trim() && !removeWebhook && webhookUrlProblem(webhookUrl.trim())) ||
    (threshold !== '' && !(numbers.threshold > 0) ? 'threshold must be greater than 0' : null) ||
    ruleProblem({ metric, comparison: effectiveComparison, minValue: effectiveComparison === 'baseline' ? numbers.minValue : 0, webhookUrl: hasWebhook ? 'x' : null, webhookSecret: secret ? 'x' : null, webhookFormat });
  const complete = fields.name !== '' && fields.subject !== '' && threshold !== '' && !problem;

  function submit() {
    const webhook: Partial<TAlertRuleFields> = {};
    if (removeWebhook) webhook.webhookUrl = null;
    else if (webhookUrl.trim()) webhook.webhookUrl = webhookUrl.trim();
    if (removeSecret) webhook.webhookSecret = null;
    else if (secret) webhook.webhookSecret = secret;
    const onSuccess = ({ rule: saved }: { rule: TAlertRule }) => onSaved(saved);
    if (rule) save.mutate({ id: rule.id, changes: { ...fields, ...webhook, version: rule.version } }, { onSuccess });
    else save.mutate({ rule: { ...fields, ...webhook } }, { onSuccess });
  }

  return (
    <AdminDialog
      title={rule ? `Edit alert rule “${rule.name}”` : 'Add an alert rule'}
      description={complete ? describeRule({ ...fields, minValue: fields.minValue ?? 0, windowMinutes: fields.windowMinutes ?? 5, forMinutes: fields.forMinutes ?? 0 }) : 'The worker evaluates every rule every few seconds; an alert fires when the condition holds for the minutes you give.'}
      submitLabel={rule ? 'Save rule' : 'Add rule'}
      isPending={save.isPending}
      canSubmit={complete}
      onClose={onClose}
      onSubmit={submit}
      error={save.isError ? <FormError error={save.error} /> : null}
    >
      <FormField id={`${id}-name`} label="Name" value={name} onChange={setName} required placeholder="Orders dead-letter spike" />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[10rem_1fr]">
        <Select id={`${id}-kind`} label="Watch" value={subjectKind} onChange={(v) => setSubjectKind(v as TSubjectKind)} options={[['source', 'Source queue'], ['origin', 'Origin queue']]} />
        <FormField id={`${id}-subject`} label="Queue" value={subject} onChange={setSubject} required mono placeholder="orders.dlq or *" hint="* watches each queue separately, one alert per queue." />
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Select id={`${id}-metric`} label="Metric" value={metric} onChange={(v) => setMetric(v as TMetric)} options={METRICS.map((m) => [m, METRIC_LABELS[m]])} />
        <Select
          id={`${id}-comparison`}
          label="Fires when"
          value={effectiveComparison}
          onChange={(v) => setComparison(v as TComparison)}
          options={metric === 'unresolved' ? [['above', 'above a threshold']] : [['above', 'above a threshold'], ['baseline', 'above N × baseline']]}
          hint={metric === 'unresolved' ? 'Only inflow has history for a baseline.' : effectiveComparison === 'baseline' ? 'Baseline: median of the same window at this time of day over the last 7 days. "At least" must be above 0: a queue quiet on those days has baseline 0 and would otherwise fire on its first message.' : undefined}
        />
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <NumberField id={`${id}-threshold`} label={effectiveComparison === 'baseline' ? 'N (× baseline)' : metric === 'inflow' ? 'Threshold (/min)' : 'Threshold'} value={threshold} onChange={setThreshold} required step="any" min="0" />
        {effectiveComparison === 'baseline' && <NumberField id={`${id}-min`} label="At least (/min)" value={minValue} onChange={setMinValue} step="any" min="0" />}
        {metric === 'inflow' && <NumberField id={`${id}-window`} label="Window (min)" value={windowMinutes} onChange={setWindowMinutes} step="1" min="1" />}
        <NumberField id={`${id}-for`} label="For (min)" value={forMinutes} onChange={setForMinutes} step="1" min="0" />
      </div>
      <fieldset className="space-y-2 rounded-md border border-line p-2.5">
        <legend className="px-1 text-xs font-medium text-muted">Webhook</legend>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_9rem]">
          <div className="flex flex-col gap-0.5">
            <label htmlFor={`${id}-url`} className={label}>URL</label>
            <input id={`${id}-url`} type="url" value={webhookUrl} disabled={removeWebhook} onChange={(e) => setWebhookUrl(e.target.value)} autoComplete="off" spellCheck={false}
              placeholder={rule?.webhook ? `${rule.webhook} (kept when empty)` : 'https://hooks.example.com/dlq'} className="field w-full font-mono placeholder:font-sans" aria-describedby={`${id}-url-hint`} />
            <p id={`${id}-url-hint`} className={hintClass}>A secret (Slack’s URL holds a token): never shown again after it is saved.</p>
          </div>
          <Select id={`${id}-format`} label="Format" value={webhookFormat} onChange={(v) => setWebhookFormat(v as TWebhookFormat)} options={[['json', 'Generic JSON'], ['slack', 'Slack']]} />
        </div>
        {rule?.webhook && (
          <label className="flex items-center gap-2 text-[13px]"><input type="checkbox" checked={removeWebhook} onChange={(e) => setRemoveWebhook(e.target.checked)} />Remove the webhook</label>
        )}
        {webhookFormat === 'json' && !removeWebhook && (
          <div className="flex flex-col gap-0.5">
            <label htmlFor={`${id}-secret`} className={label}>Signing secret</label>
            <input id={`${id}-secret`} type="password" value={secret} disabled={removeSecret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password"
              placeholder={rule?.hasSecret ? 'set (kept when empty)' : 'optional, 8 characters or more'} className="field w-full font-mono placeholder:font-sans" aria-describedby={`${id}-secret-hint`} />
            <p id={`${id}-secret-hint`} className={hintClass}>Signs each body: X-DLQ-Signature: sha256=&lt;HMAC-SHA256 hex&gt;.</p>
            {rule?.hasSecret && (
              <label className="mt-1 flex items-center gap-2 text-[13px]"><input type="checkbox" checked={removeSecret} onChange={(e) => setRemoveSecret(e.target.checked)} />Remove the secret</label>
            )}
          </div>
        )}
      </fieldset>
      <label className="flex items-center gap-2 text-[13px]">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled (a disabled rule’s open alerts resolve)
      </label>
      {problem && <p className="text-[12px] text-red-800 dark:text-red-300">{problem}</p>}
    </AdminDialog>
  );
}

function Select({ id, label: text, value, onChange, options, hint }: { id: string; label: string; value: string; onChange: (v: string) => void; options: readonly (readonly [string, string])[]; hint?: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className={label}>{text}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className="field pr-1" aria-describedby={hint ? `${id}-hint` : undefined}>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
      {hint && <p id={`${id}-hint`} className={hintClass}>{hint}</p>}
    </div>
  );
}

function NumberField({ id, label: text, value, onChange, required, step, min }: { id: string; label: string; value: string; onChange: (v: string) => void; required?: boolean; step: string; min: string }) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className={label}>
        {text}
        {required && <span aria-hidden className="ml-0.5">*</span>}
      </label>
      <input id={id} type="number" inputMode="decimal" value={value} required={required} step={step} min={min} onChange={(e) => onChange(e.target.value)} className="field w-full tabular-nums" />
    </div>
  );
}
