'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { TAlert } from '@/lib/alerts/alert-dto';
import { describeRule, type TAlertRule } from '@/lib/alerts/alert-rule-dto';
import { formatDateTime, formatRelative } from '../_lib/format';
import { useAlertRules, useAlerts, useDeleteAlertRule, useSaveAlertRule } from '../_lib/use-alerts';
import { useNow } from '../_lib/use-now';
import { AdminTable } from './admin-table';
import { AlertNotificationStatus, AlertStateBadge, formatMetric } from './alert-badges';
import { AlertRuleDialog } from './alert-rule-dialog';
import { DeleteButton } from './delete-button';
import { EmptyPanel } from './empty-panel';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';

const td = 'px-2 py-1.5 align-top';
const rtd = 'px-2 py-1.5 align-middle';
const primary = 'btn border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500';
const small = 'btn h-7 px-2 text-xs';
const h2 = 'text-sm font-semibold';

/** Open alerts first, then the rules (changed by those with alerts:manage), then what resolved lately. */
export function AlertsScreen({ canManage }: { canManage: boolean }) {
  const alerts = useAlerts();
  const rules = useAlertRules();
  const now = useNow(5_000);
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<TAlertRule | 'new' | null>(null);
  const webhookOf = new Map(rules.data?.map((r) => [r.id, r.webhook !== null]));

  return (
    <div className="max-w-[1400px] space-y-5">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Alerts</h1>
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>

      <section aria-labelledby="open-alerts" className="space-y-2">
        <h2 id="open-alerts" className={h2}>
          Open alerts
          {alerts.data && <span className="ml-2 font-normal text-muted">{alerts.data.open.length === 0 ? 'none' : alerts.data.open.length}</span>}
        </h2>
        {alerts.isError ? (
          <ErrorPanel title="Could not load alerts" error={alerts.error} onRetry={() => void alerts.refetch()} />
        ) : alerts.data && alerts.data.open.length === 0 ? (
          <p className="rounded-md border border-line bg-panel px-3 py-3 text-sm text-muted">
            Nothing is firing. {rules.data?.length ? 'Every rule is within its limit.' : 'Add a rule below to be told when dead letters pile up.'}
          </p>
        ) : (
          <AdminTable label="Open alerts" columns={['State', 'Rule', 'Queue', 'Value', 'Limit', 'Since', 'Webhook', 'Actions']} loading={!alerts.data} skeletonRows={2}>
            {alerts.data?.open.map((a) => <OpenAlertRow key={a.id} alert={a} now={now} hasWebhook={webhookOf.get(a.ruleId) ?? true} />)}
          </AdminTable>
        )}
      </section>

      <RulesSection canManage={canManage} rules={rules} setStatus={setStatus} onEdit={setEditing} />

      <section aria-labelledby="resolved-alerts" className="space-y-2">
        <h2 id="resolved-alerts" className={h2}>Recently resolved</h2>
        {alerts.data && alerts.data.recent.length === 0 ? (
          <p className="text-sm text-muted">No alert has fired and resolved yet.</p>
        ) : (
          !alerts.isError && (
            <AdminTable label="Recently resolved alerts" columns={['Rule', 'Queue', 'Fired', 'Resolved', 'Lasted', 'Webhook']} loading={!alerts.data} skeletonRows={2}>
              {alerts.data?.recent.map((a) => (
                <tr key={a.id} className="border-b border-line last:border-b-0">
                  <th scope="row" className={`${td} text-left font-medium`}>{a.ruleName}</th>
                  <td className={`${td} font-mono text-[12.5px] break-all`}><span className="mr-1 font-sans text-muted">{a.subjectKind}</span>{a.subject}</td>
                  <td className={`${td} whitespace-nowrap`} title={formatDateTime(a.firedAt)}>{a.firedAt ? formatRelative(a.firedAt, now) : '—'}</td>
                  <td className={`${td} whitespace-nowrap`} title={formatDateTime(a.resolvedAt)}>{a.resolvedAt ? formatRelative(a.resolvedAt, now) : '—'}</td>
                  <td className={`${td} whitespace-nowrap tabular-nums`}>{a.firedAt && a.resolvedAt ? formatDuration(Date.parse(a.resolvedAt) - Date.parse(a.firedAt)) : '—'}</td>
                  <td className={td}><AlertNotificationStatus notifications={a.notifications} hasWebhook={webhookOf.get(a.ruleId) ?? true} /></td>
                </tr>
              ))}
            </AdminTable>
          )
        )}
      </section>

      {editing && (
        <AlertRuleDialog
          rule={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(rule) => {
            setEditing(null);
            setStatus(editing === 'new' ? `Added alert rule “${rule.name}”.` : `Saved alert rule “${rule.name}”.`);
          }}
        />
      )}
    </div>
  );
}

function OpenAlertRow({ alert: a, now, hasWebhook }: { alert: TAlert; now: number; hasWebhook: boolean }) {
  const since = a.state === 'firing' ? a.firedAt! : a.pendingSince;
  return (
    <tr className="border-b border-line last:border-b-0" data-testid="open-alert">
      <td className={`${td} whitespace-nowrap`}>
        <AlertStateBadge state={a.state} />
        {a.state === 'pending' && <div className="mt-0.5 text-[11px] text-muted">fires after {a.forMinutes} min</div>}
      </td>
      <th scope="row" id={`alert-${a.id}`} className={`${td} text-left font-medium`}>{a.ruleName}</th>
      <td className={`${td} font-mono text-[12.5px] break-all`}><span className="mr-1 font-sans text-muted">{a.subjectKind}</span>{a.subject}</td>
      <td className={`${td} whitespace-nowrap font-semibold tabular-nums`}>{formatMetric(a.value, a.metric)}</td>
      <td className={`${td} whitespace-nowrap tabular-nums`}>
        &gt; {formatMetric(a.limit, a.metric)}
        {a.baseline !== null && <div className="text-[11px] text-muted">baseline {formatMetric(a.baseline, a.metric)}</div>}
      </td>
      <td className={`${td} whitespace-nowrap`} title={formatDateTime(since)}>{formatRelative(since, now)}</td>
      <td className={td}><AlertNotificationStatus notifications={a.notifications} hasWebhook={hasWebhook} /></td>
      <td className={`${td} w-0 text-right whitespace-nowrap`}>
        <Link href={a.link} className="text-accent hover:underline" aria-describedby={`alert-${a.id}`}>View messages</Link>
      </td>
    </tr>
  );
}

function RulesSection({ canManage, rules, setStatus, onEdit }: {
  canManage: boolean;
  rules: ReturnType<typeof useAlertRules>;
  setStatus: (s: string) => void;
  onEdit: (rule: TAlertRule | 'new') => void;
}) {
  const save = useSaveAlertRule();
  const remove = useDeleteAlertRule();
  const failed = save.isError ? save.error : remove.isError ? remove.error : null;
  const columns = ['Name', 'Fires when', 'Webhook', 'State', ...(canManage ? ['Actions'] : [])];

  function toggle(rule: TAlertRule) {
    setStatus('');
    save.mutate({ id: rule.id, changes: { version: rule.version, enabled: !rule.enabled } }, { onSuccess: () => setStatus(`${rule.enabled ? 'Disabled' : 'Enabled'} “${rule.name}”.`) });
  }

  let content;
  if (rules.isError) content = <ErrorPanel title="Could not load alert rules" error={rules.error} onRetry={() => void rules.refetch()} />;
  else if (rules.data?.length === 0) {
    content = <EmptyPanel title="No alert rules">{canManage ? 'Add one: inflow or unresolved messages of a source or origin queue, above a threshold or a multiple of its usual level.' : 'An operator or admin adds them.'}</EmptyPanel>;
  } else {
    content = (
      <AdminTable label="Alert rules" columns={columns} loading={!rules.data} skeletonRows={3}>
        {rules.data?.map((r) => (
          <tr key={r.id} className={`border-b border-line last:border-b-0 ${r.enabled ? '' : 'text-muted'}`}>
            <th scope="row" id={`alert-rule-${r.id}`} className={`${rtd} text-left font-medium`}>{r.name}</th>
            <td className={`${rtd} text-[12.5px]`}>{describeRule(r)}</td>
            <td className={`${rtd} text-[12.5px]`}>
              {r.webhook ? (
                <span className="whitespace-nowrap"><span className="font-mono">{r.webhook}</span> <span className="text-muted">{r.webhookFormat === 'slack' ? 'Slack' : 'JSON'}{r.hasSecret ? ', signed' : ''}</span></span>
              ) : (
                <span className="text-muted">none (console only)</span>
              )}
            </td>
            <td className={`${rtd} whitespace-nowrap`}>
              {r.enabled ? (
                <span className="inline-flex items-center gap-1.5 text-green-800 dark:text-green-300"><span aria-hidden className="size-1.5 rounded-full bg-green-600 dark:bg-green-400" />enabled</span>
              ) : (
                <span>disabled</span>
              )}
            </td>
            {canManage && (
              <td className={`${rtd} w-0 text-right whitespace-nowrap`}>
                <span className="inline-flex items-center gap-1.5">
                  <button type="button" className={small} disabled={save.isPending && save.variables?.id === r.id} onClick={() => toggle(r)} aria-describedby={`alert-rule-${r.id}`}>{r.enabled ? 'Disable' : 'Enable'}</button>
                  <button type="button" className={small} onClick={() => { setStatus(''); onEdit(r); }} aria-describedby={`alert-rule-${r.id}`}>Edit</button>
                  <DeleteButton what={`alert rule “${r.name}”`} describedBy={`alert-rule-${r.id}`} isPending={remove.isPending && remove.variables?.id === r.id}
                    onConfirm={() => remove.mutate({ id: r.id, version: r.version }, { onSuccess: () => setStatus(`Deleted alert rule “${r.name}” and its alerts.`) })} />
                </span>
              </td>
            )}
          </tr>
        ))}
      </AdminTable>
    );
  }

  return (
    <section aria-labelledby="alert-rules" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="alert-rules" className={h2}>Rules</h2>
        {canManage && <button type="button" className={primary} onClick={() => { setStatus(''); onEdit('new'); }}>Add rule</button>}
      </div>
      {content}
      {failed && <FormError error={failed} />}
    </section>
  );
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))}s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}
