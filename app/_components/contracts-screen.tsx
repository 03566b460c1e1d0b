'use client';

import { Fragment, useRef, useState } from 'react';
import type { TContract } from '@/lib/contracts/contract-dto';
import { formatDateTime } from '../_lib/format';
import { useContracts, useRemoveContract } from '../_lib/use-contracts';
import { canDo, useMe } from '../_lib/use-me';
import { ContractForm } from './contract-form';
import { DeleteButton } from './delete-button';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { AdminTable } from './admin-table';
import { EmptyPanel } from './empty-panel';

const td = 'px-2 py-1.5 align-top';

function dialect(schema: Record<string, unknown>): string {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('2020-12')) return '2020-12';
  if (declared.includes('draft-07')) return 'draft-07';
  return declared ? declared : 'draft-07 (default)';
}

export function ContractsScreen() {
  const contracts = useContracts();
  const me = useMe();
  const canManage = canDo(me.data, 'contracts:manage');
  const remove = useRemoveContract();
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<TContract | null>(null);
  // Each Edit remounts the form with that contract, even the same one again.
  const [edits, setEdits] = useState(0);
  const [status, setStatus] = useState('');
  const formRef = useRef<HTMLDivElement>(null);

  function edit(c: TContract) {
    setStatus('');
    setEditing(c);
    setEdits((n) => n + 1);
    formRef.current?.scrollIntoView({ block: 'nearest' });
  }

  const columns = ['Origin queue', 'Dialect', 'Updated', 'By', 'Actions'];
  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Contracts</h1>
        {/* What the last change did, where it is seen and heard whichever form made it. */}
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      <p className="text-sm text-muted">
        A contract is the JSON Schema an origin queue’s consumers expect. Before an edit is saved or a message is replayed to that queue, its body is checked against it, so a fix that would fail again is refused with the fields at fault.
      </p>
      {contracts.isError ? (
        <ErrorPanel title="Could not load contracts" error={contracts.error} onRetry={() => void contracts.refetch()} />
      ) : contracts.data?.length === 0 ? (
        <EmptyPanel title="No contracts">Replays are not checked against any schema. {canManage ? 'Set one below.' : 'An admin sets contracts here.'}</EmptyPanel>
      ) : (
        <AdminTable label="Contracts" columns={columns} loading={!contracts.data} skeletonRows={2}>
              {contracts.data?.map((c, i) => {
                const rowId = `contract-${i}`;
                const isOpen = open === c.origin;
                return (
                  <Fragment key={c.origin}>
                    <tr className={`border-b border-line ${isOpen ? 'bg-selected' : ''}`}>
                      <th scope="row" id={rowId} className={`${td} text-left font-mono text-[12.5px] font-normal`}>{c.origin}</th>
                      <td className={td}>{dialect(c.schema)}</td>
                      <td className={`${td} whitespace-nowrap text-muted`}>{formatDateTime(c.updatedAt)}</td>
                      <td className={`${td} text-muted`}>{c.updatedBy}</td>
                      <td className={`${td} w-0 text-right whitespace-nowrap`}>
                        <span className="inline-flex items-center gap-1.5">
                          <button
                            type="button"
                            aria-expanded={isOpen}
                            aria-controls={`${rowId}-schema`}
                            aria-describedby={rowId}
                            onClick={() => setOpen(isOpen ? null : c.origin)}
                            className="btn h-7 px-2 text-xs"
                          >
                            {isOpen ? 'Hide schema' : 'Show schema'}
                          </button>
                          {canManage && <button type="button" onClick={() => edit(c)} aria-describedby={rowId} className="btn h-7 px-2 text-xs">Edit</button>}
                          {canManage && (
                            <DeleteButton
                              what={`the contract of ${c.origin}`}
                              describedBy={rowId}
                              isPending={remove.isPending && remove.variables === c.origin}
                              onConfirm={() => remove.mutate(c.origin, { onSuccess: () => setStatus(`Removed the contract of ${c.origin}.`) })}
                            />
                          )}
                        </span>
                      </td>
                    </tr>
                    {isOpen && (
                      <tr id={`${rowId}-schema`} className="border-b border-line">
                        <td colSpan={columns.length} className="px-2 py-2">
                          <pre aria-label={`JSON Schema of ${c.origin}`} className="body-pre max-h-96">{JSON.stringify(c.schema, null, 2)}</pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
        </AdminTable>
      )}
      {remove.isError && <FormError error={remove.error} />}
      {canManage ? (
        <div ref={formRef}>
          <ContractForm key={edits} initial={editing} onDone={(message) => { setStatus(message); setEditing(null); }} />
        </div>
      ) : (
        me.data && <p className="text-xs text-muted">Only admins set or remove contracts.</p>
      )}
    </div>
  );
}
