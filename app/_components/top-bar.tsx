import Link from 'next/link';
import type { TRole } from '@/lib/permissions/roles';
import type { TTheme } from '../_lib/theme';
import { NavLinks } from './nav-links';
import { SignOutButton } from './sign-out-button';
import { ThemeToggle } from './theme-toggle';
import { Logo } from './logo';

type TProps = { email: string; role: TRole; theme: TTheme };

export function TopBar({ email, role, theme }: TProps) {
  return (
    <header className="sticky top-0 z-20 flex h-11 items-center gap-4 border-b border-line bg-panel px-4">
      <Link href="/messages" className="flex items-center gap-2 text-sm font-semibold">
        <Logo size={18} />
        DLQ Console
      </Link>
      <NavLinks />
      <div className="ml-auto flex items-center gap-3 text-sm">
        <span className="text-muted" title="Signed in as">
          <span className="text-fg">{email}</span>
          <span className="ml-1.5 rounded border border-line px-1.5 py-px text-xs">{role}</span>
        </span>
        <ThemeToggle initial={theme} />
        <SignOutButton />
      </div>
    </header>
  );
}
