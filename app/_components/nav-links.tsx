'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { ROLE_PERMISSIONS, type TPermission, type TRole } from '@/lib/permissions/roles';

// The navigation links only what the role may use (the pages and the API check again).
// It is computed from the role the server resolved for this request, not from /me, so the
// bar is right on the first paint and does not grow links as a query settles.

/** `permission`: the page needs it; a list: any one of them. */
type TLink = { href: string; label: string; permission: TPermission | readonly TPermission[] };

const LINKS: readonly TLink[] = [
  { href: '/', label: 'Dashboard', permission: 'messages:read' },
  { href: '/messages', label: 'Messages', permission: 'messages:read' },
  { href: '/groups', label: 'Groups', permission: 'messages:read' },
  { href: '/jobs', label: 'Jobs', permission: 'messages:read' },
  { href: '/alerts', label: 'Alerts', permission: 'messages:read' },
  { href: '/sources', label: 'Sources', permission: 'sources:read' },
  { href: '/approvals', label: 'Approvals', permission: 'messages:read' },
  { href: '/audit', label: 'Audit', permission: 'audit:read' },
  { href: '/teams', label: 'Teams', permission: 'teams:read' },
  { href: '/sandboxes', label: 'Sandboxes', permission: 'sandboxes:manage' },
  { href: '/contracts', label: 'Contracts', permission: 'messages:read' },
];

const ADMIN_LINKS: readonly TLink[] = [
  { href: '/admin/users', label: 'Users', permission: 'users:read' },
  { href: '/admin/tokens', label: 'Tokens', permission: 'tokens:manage' },
  // Auditors read the rules, to know what other roles see masked; admins change them.
  { href: '/admin/redaction', label: 'Redaction', permission: ['redaction:manage', 'audit:read'] },
  { href: '/admin/settings', label: 'Settings', permission: 'settings:manage' },
  { href: '/admin/ownership-rules', label: 'Ownership rules', permission: 'teams:ownership' },
  { href: '/admin/failure-categories', label: 'Failure categories', permission: ['settings:manage', 'audit:read'] },
  { href: '/admin/retention', label: 'Retention', permission: ['settings:manage', 'audit:read'] },
  { href: '/admin/audit-integrity', label: 'Audit integrity', permission: 'audit:read' },
];

const isActive = (pathname: string, href: string) => pathname === href || (href !== '/' && pathname.startsWith(`${href}/`));

export function NavLinks({ role }: { role: TRole }) {
  const pathname = usePathname();
  const allowed = ({ permission }: TLink) =>
    (typeof permission === 'string' ? [permission] : permission).some((p) => ROLE_PERMISSIONS[role].includes(p));
  const admin = ADMIN_LINKS.filter(allowed);
  return (
    <nav aria-label="Main" className="flex h-full shrink-0 items-stretch gap-0.5 text-sm">
      {LINKS.filter(allowed).map(({ href, label }) => {
        const active = isActive(pathname, href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? 'page' : undefined}
            className={`flex items-center border-b-2 px-1.5 whitespace-nowrap ${active ? 'border-accent font-medium text-fg' : 'border-transparent text-muted hover:text-fg'}`}
          >
            {label}
          </Link>
        );
      })}
      {admin.length > 0 && <AdminMenu links={admin} pathname={pathname} />}
    </nav>
  );
}

/**
 * A disclosure (button + list of links), the pattern navigation menus should use: Enter or
 * Space opens it, ArrowDown opens it on the first link, arrows move, Escape closes it and
 * returns to the button, Tab past the last link closes it.
 */
function AdminMenu({ links, pathname }: { links: readonly TLink[]; pathname: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const active = links.some((l) => isActive(pathname, l.href));

  const items = () => Array.from(listRef.current?.querySelectorAll<HTMLAnchorElement>('a') ?? []);
  function focusItem(index: number) {
    const all = items();
    all[(index + all.length) % all.length]?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const current = items().indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        requestAnimationFrame(() => focusItem(0));
      } else focusItem(current + 1);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      focusItem(current < 0 ? -1 : current - 1);
    } else if (event.key === 'Home' && open && current >= 0) {
      event.preventDefault();
      focusItem(0);
    } else if (event.key === 'End' && open && current >= 0) {
      event.preventDefault();
      focusItem(-1);
    }
  }

  // Focus or a click leaving the menu closes it.
  function onBlur(event: FocusEvent<HTMLDivElement>) {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
  }

  return (
    <div className="relative flex items-stretch" onKeyDown={onKeyDown} onBlur={onBlur}>
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onClick={() => setOpen((o) => !o)}
        className={`flex cursor-pointer items-center gap-1 border-b-2 px-1.5 focus-visible:outline-offset-[-3px] ${active ? 'border-accent font-medium text-fg' : 'border-transparent text-muted hover:text-fg'}`}
      >
        Admin
        <svg aria-hidden viewBox="0 0 12 12" width="10" height="10" className={open ? 'rotate-180' : ''}>
          <path d="M2 4.5 6 8.5 10 4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      </button>
      <ul
        ref={listRef}
        id={`${id}-menu`}
        hidden={!open}
        aria-label="Admin"
        className="absolute top-full left-0 z-30 min-w-44 rounded-b-md border border-line bg-panel py-1 shadow-lg"
      >
        {links.map(({ href, label }) => {
          const current = isActive(pathname, href);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? 'page' : undefined}
                onClick={() => setOpen(false)}
                className={`block px-3 py-1.5 whitespace-nowrap outline-none hover:bg-sunken focus-visible:bg-sunken ${current ? 'font-medium text-fg' : 'text-muted hover:text-fg focus-visible:text-fg'}`}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
