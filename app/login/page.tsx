import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getSessionActor } from '@/lib/auth/session';
import { env, oidcSettings } from '@/lib/env';
import { safeCallbackUrl } from '../_lib/login-url';
import { describeLoginError } from './login-errors';
import { LoginForm } from './login-form';
import { Logo } from '../_components/logo';

export const metadata: Metadata = { title: 'Sign in' };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function LoginPage({ searchParams }: { searchParams: TSearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));
  if (await getSessionActor()) redirect(callbackUrl);
  // Only the display name reaches the browser: issuer, client id and secret stay here.
  const ssoName = oidcSettings(env())?.name ?? null;
  const error = first(params.error);
  // `expired` comes from the console's own 401 handling; SessionRequired from next-auth.
  const expired = first(params.expired) === '1' || error === 'SessionRequired';
  return (
    <main className="flex min-h-screen items-start justify-center px-4 pt-[18vh]">
      <div className="w-full max-w-sm">
        <div className="mb-4 flex items-center gap-2">
          <Logo size={22} />
          <h1 className="text-lg font-semibold">DLQ Console</h1>
        </div>
        <div className="rounded-md border border-line bg-panel p-5 shadow-sm">
          <LoginForm
            callbackUrl={callbackUrl}
            expired={expired}
            ssoName={ssoName}
            initialError={error === 'SessionRequired' ? null : describeLoginError(error, ssoName ?? undefined)}
          />
        </div>
        <p className="mt-3 text-xs text-muted">
          {ssoName ? `Accounts sign in with ${ssoName}, or with a password an administrator created.` : 'Accounts are created by an administrator with the CLI.'}
        </p>
      </div>
    </main>
  );
}
