'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { TPermission } from '@/lib/permissions/roles';
import { canDo, useMe } from '../_lib/use-me';

const LINKS = [
  { href: '/messages', label: 'Messages' },
  { href: '/sources', label: 'Sources' },
  { href: '/audit', label: 'Audit' },
  { href: '/teams', label: 'Teams' },
  { href: '/sandboxes', label: 'Sandboxes', permission: 'sandboxes:manage' },
  { href: '/contracts', label: 'Contracts' },
] as const satisfies readonly { href: string; label: string; permission?: TPermission }[];

export function NavLinks() {
  const pathname = usePathname();
  const me = useMe();
  return (
    <nav aria-label="Main" className="flex h-full items-stretch gap-1 text-sm">
      {LINKS.filter((link) => !('permission' in link) || canDo(me.data, link.permission)).map(({ href, label }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? 'page' : undefined}
            className={`flex items-center border-b-2 px-2 ${
              active ? 'border-accent font-medium text-fg' : 'border-transparent text-muted hover:text-fg'
            }`}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
