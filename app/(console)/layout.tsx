import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { getSessionActor } from '@/lib/auth/session';
import { getConsoleStatus } from '@/lib/health/get-console-status';
import { StatusBanner } from '../_components/status-banner';
import { TopBar } from '../_components/top-bar';
import { parseTheme, THEME_COOKIE } from '../_lib/theme';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await getSessionActor();
  if (!actor) {
    const path = (await headers()).get('x-console-path'); // set by proxy.ts
    redirect(path ? `/login?${new URLSearchParams({ callbackUrl: path })}` : '/login');
  }
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  const status = await initialStatus();
  return (
    <div className="flex min-h-screen flex-col">
      <TopBar email={actor.email} role={actor.role} theme={theme} />
      <StatusBanner initial={status} />
      <main className="flex-1 px-4 py-3">{children}</main>
    </div>
  );
}

/**
 * The status banner's first answer, rendered with the page so an outage shows from the first
 * paint (no banner pushing the page down after load). A broker probe that hangs does not
 * hold the page: after a second the banner asks for itself.
 */
async function initialStatus() {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), 1000); });
  try {
    return await Promise.race([getConsoleStatus().catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}
