import Link from 'next/link';
import type { ReactNode } from 'react';
import type { TPermission } from '@/lib/permissions/roles';

type TProps = {
  /** What the page needs; several: any one of them will do. */
  permission: TPermission | readonly TPermission[];
  /** What the page is, when a sentence helps ("Sandboxes are where ..."). */
  children?: ReactNode;
};

/**
 * What a page opened by URL shows to a role that may not use it: the navigation never links
 * there, but a bookmark or a shared link still can. Plain markup (no hooks), so a server page
 * can return it after its own check and a client screen can render it from canDo().
 */
export function ForbiddenPanel({ permission, children }: TProps) {
  const needs = (typeof permission === 'string' ? [permission] : permission).join(' or ');
  return (
    <section
      role="alert"
      aria-labelledby="forbidden-title"
      className="mx-auto mt-8 max-w-xl rounded-md border border-line bg-panel px-5 py-6 text-sm"
    >
      <h1 id="forbidden-title" className="text-base font-semibold">
        {"You don't have access to this page"} <span className="font-normal text-muted">(needs <code className="font-mono text-[13px]">{needs}</code>)</span>
      </h1>
      {children && <p className="mt-2 text-muted">{children}</p>}
      <p className="mt-2 text-muted">Your role does not include that permission. An admin can change your role if you need it.</p>
      <p className="mt-4">
        <Link href="/messages" className="text-accent underline underline-offset-2">Back to the messages</Link>
      </p>
    </section>
  );
}
