'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ROLE_LABELS, type TRole } from '@/lib/permissions/roles';
import type { TTeam } from '@/lib/teams/team-dto';
import { apiFetch } from '../_lib/api-fetch';
import type { TTheme } from '../_lib/theme';
import { useMe, type TMe } from '../_lib/use-me';
import { Logo } from './logo';
import { NavLinks } from './nav-links';
import { SignOutButton } from './sign-out-button';
import { ThemeToggle } from './theme-toggle';

type TProps = { email: string; role: TRole; theme: TTheme };
type TScope = { teamIds: string[]; origins: string[]; sources: string[] };

export function TopBar({ email, role, theme }: TProps) {
  return (
    <header className="sticky top-0 z-20 flex h-11 items-center gap-3 border-b border-line bg-panel px-4">
      <Link href="/" className="flex shrink-0 items-center gap-2 text-sm font-semibold">
        <Logo size={18} />
        DLQ Console
      </Link>
      <NavLinks role={role} />
      <div className="ml-auto flex min-w-0 items-center gap-2 text-sm">
        <span className="flex min-w-0 items-center gap-1.5 text-muted" title="Signed in as">
          <span className="min-w-16 max-w-40 truncate text-fg 2xl:max-w-64">{email}</span>
          <span className="shrink-0 rounded border border-line px-1.5 py-px text-xs" data-testid="role" title={email}>{ROLE_LABELS[role]}</span>
          <ScopeNote />
        </span>
        <ThemeToggle initial={theme} />
        <span className="shrink-0 whitespace-nowrap">
          <SignOutButton />
        </span>
      </div>
    </header>
  );
}

/** "limited to billing": a team-scoped user sees and acts on its teams' queues only. */
function ScopeNote() {
  const me = useMe();
  const scope = (me.data as (TMe & { scope?: TScope | null }) | undefined)?.scope ?? null;
  // The same key and shape as useTeams(), so the teams page and the redirect picker share it.
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: ({ signal }) => apiFetch<{ items: TTeam[] }>('/api/v1/teams', { signal }),
    enabled: scope !== null,
  });
  if (!scope) return null;
  const names = scope.teamIds.map((id) => teams.data?.items.find((t) => t.id === id)?.name).filter((n): n is string => Boolean(n));
  let text: string;
  if (scope.teamIds.length === 0) text = 'limited to no team: sees no messages';
  else if (names.length === scope.teamIds.length) text = `limited to ${names.join(', ')}`;
  else text = `limited to ${scope.teamIds.length} team${scope.teamIds.length === 1 ? '' : 's'}`;
  const queues = [...scope.origins, ...scope.sources];
  return (
    <span
      className="truncate rounded border border-amber-300 bg-amber-50 px-1.5 py-px text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200"
      title={queues.length ? `Sees the messages of these queues: ${queues.join(', ')}` : 'Your teams own no queues yet'}
    >
      {text}
    </span>
  );
}
