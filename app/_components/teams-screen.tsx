'use client';

import { useRef, useState } from 'react';
import type { TTeam } from '@/lib/teams/team-dto';
import { formatDateTime } from '../_lib/format';
import { canDo, useMe } from '../_lib/use-me';
import { useDeleteTeam, useTeams } from '../_lib/use-teams';
import { DeleteButton } from './delete-button';
import { ErrorPanel } from './error-panel';
import { FormError } from './form-error';
import { TeamAccessDialog } from './team-access-dialog';
import { TeamForm } from './team-form';
import { AdminTable } from './admin-table';
import { EmptyPanel } from './empty-panel';

const td = 'px-2 py-1.5 align-top';

export function TeamsScreen() {
  const teams = useTeams();
  const me = useMe();
  const canManage = canDo(me.data, 'teams:manage');
  // Support leads keep ownership and membership current; destinations stay with admins.
  const canOwn = canDo(me.data, 'teams:ownership');
  const remove = useDeleteTeam();
  const [editing, setEditing] = useState<TTeam | null>(null);
  const [access, setAccess] = useState<TTeam | null>(null);
  const [status, setStatus] = useState('');
  const formRef = useRef<HTMLDivElement>(null);

  function edit(team: TTeam) {
    setStatus('');
    setEditing(team);
    // After the form re-renders with the team: bring it into view, on its first field.
    requestAnimationFrame(() => {
      formRef.current?.scrollIntoView({ block: 'nearest' });
      formRef.current?.querySelector('input')?.focus();
    });
  }

  const columns = ['Name', 'Destination', 'Contact', 'Owns', 'Members', 'Updated', ...(canManage || canOwn ? ['Actions'] : [])];
  return (
    <div className="max-w-[1400px] space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-base font-semibold">Teams</h1>
        {/* What the last change did, where it is seen and heard whichever form made it. */}
        <p role="status" className="text-xs text-green-800 dark:text-green-300">{status}</p>
      </div>
      <p className="text-sm text-muted">
        The teams that own the messages. Redirecting a dead letter hands it to a team: the console publishes it to the team’s destination, with headers that say where it came from and why.
      </p>
      {teams.isError ? (
        <ErrorPanel title="Could not load teams" error={teams.error} onRetry={() => void teams.refetch()} />
      ) : teams.data?.length === 0 ? (
        <EmptyPanel title="No teams yet">{canManage ? 'Add the first one below: a name and where its messages go.' : 'Redirects need a team to send to. An admin adds teams here.'}</EmptyPanel>
      ) : (
        <AdminTable label="Teams" columns={columns} loading={!teams.data} skeletonRows={3}>
              {teams.data?.map((t) => (
                <tr key={t.id} className={`border-b border-line last:border-b-0 ${editing?.id === t.id ? 'bg-selected' : ''}`}>
                  <th scope="row" id={`team-${t.id}`} className={`${td} text-left font-medium`}>{t.name}</th>
                  <td className={td}><Destination team={t} /></td>
                  <td className={td}>{t.contact ?? <span className="text-muted">–</span>}</td>
                  <td className={td}><Owned team={t} /></td>
                  <td className={`${td} break-all`}>{t.members.length ? t.members.join(', ') : <span className="text-muted">–</span>}</td>
                  <td className={`${td} whitespace-nowrap text-muted`}>{formatDateTime(t.updatedAt)}</td>
                  {(canManage || canOwn) && (
                    <td className={`${td} w-0 text-right whitespace-nowrap`}>
                      <span className="inline-flex items-center gap-1.5">
                        {canOwn && (
                          <button type="button" onClick={() => { setStatus(''); setAccess(t); }} aria-describedby={`team-${t.id}`} className="btn h-7 px-2 text-xs">Queues &amp; members</button>
                        )}
                        {canManage && <button type="button" onClick={() => edit(t)} aria-describedby={`team-${t.id}`} className="btn h-7 px-2 text-xs">Edit</button>}
                        {canManage && <DeleteButton
                          what={`team ${t.name}`}
                          describedBy={`team-${t.id}`}
                          isPending={remove.isPending && remove.variables === t.id}
                          onConfirm={() => remove.mutate(t.id, {
                            onSuccess: () => {
                              setStatus(`Deleted team ${t.name}.`);
                              if (editing?.id === t.id) setEditing(null);
                            },
                          })}
                        />}
                      </span>
                    </td>
                  )}
                </tr>
              ))}
        </AdminTable>
      )}
      {remove.isError && <FormError error={remove.error} />}
      {canManage ? (
        <div ref={formRef}>
          <TeamForm key={editing?.id ?? 'new'} team={editing} onDone={(message) => { setStatus(message); setEditing(null); }} onCancel={() => setEditing(null)} />
        </div>
      ) : canOwn ? (
        <p className="text-xs text-muted">You set which queues a team owns and who is in it; only admins add teams or change where they receive messages.</p>
      ) : (
        me.data && <p className="text-xs text-muted">Only admins add or change teams.</p>
      )}
      {access && (
        <TeamAccessDialog
          team={access}
          onDone={(message) => { setStatus(message); setAccess(null); }}
          onClose={() => setAccess(null)}
        />
      )}
    </div>
  );
}

/** The queues a team owns: its scoped members and tokens see these messages only. */
function Owned({ team }: { team: TTeam }) {
  if (team.origins.length + team.sources.length === 0) return <span className="text-muted">–</span>;
  const code = 'font-mono text-[12.5px] break-all';
  return (
    <span className="flex flex-col">
      {team.origins.map((q) => <span key={`o-${q}`}><span className="text-muted">origin </span><span className={code}>{q}</span></span>)}
      {team.sources.map((q) => <span key={`s-${q}`}><span className="text-muted">source </span><span className={code}>{q}</span></span>)}
    </span>
  );
}

function Destination({ team }: { team: TTeam }) {
  const code = 'font-mono text-[12.5px]';
  if (team.queue !== null) {
    return <span><span className="text-muted">queue </span><span className={code}>{team.queue}</span></span>;
  }
  return (
    <span>
      <span className="text-muted">exchange </span><span className={code}>{team.exchange}</span>
      <span className="text-muted"> · key </span>
      {team.routingKey ? <span className={code}>{team.routingKey}</span> : <span className="text-muted italic">(empty)</span>}
    </span>
  );
}
