import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { getSessionActor } from '@/lib/auth/session';
import { TopBar } from '../_components/top-bar';
import { parseTheme, THEME_COOKIE } from '../_lib/theme';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await getSessionActor();
  if (!actor) {
    const path = (await headers()).get('x-console-path'); // set by proxy.ts
    redirect(path ? `/login?${new URLSearchParams({ callbackUrl: path })}` : '/login');
  }
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <div className="flex min-h-screen flex-col">
      <TopBar email={actor.email} role={actor.role} theme={theme} />
      <main className="flex-1 px-4 py-3">{children}</main>
    </div>
  );
}
