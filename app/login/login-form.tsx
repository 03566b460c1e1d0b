'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { useHydrated } from '../_lib/use-hydrated';
import { describeLoginError } from './login-errors';

type TProps = {
  callbackUrl: string;
  expired: boolean;
  /** OIDC_NAME when single sign-on is on, else null. */
  ssoName: string | null;
  /** The message for ?error=… (from a refused single sign-on), worked out on the server. */
  initialError: string | null;
};

export function LoginForm({ callbackUrl, expired, ssoName, initialError }: TProps) {
  const hydrated = useHydrated();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(initialError);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      const result = await signIn('credentials', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (result?.ok && !result.error) {
        // A full load, so the server-rendered console sees the new session cookie.
        window.location.assign(callbackUrl);
        return;
      }
      setError(describeLoginError(result?.error ?? 'unknown'));
    } catch {
      setError('Cannot reach the console server. Check your connection and try again.');
    }
    setSubmitting(false);
  }

  async function onSso() {
    setSubmitting(true);
    setError(null);
    try {
      // Leaves the page for the identity provider, which sends the browser back here.
      await signIn('oidc', { callbackUrl });
    } catch {
      setError('Cannot reach the console server. Check your connection and try again.');
      setSubmitting(false);
    }
  }

  return (
    <div className="space-y-4">
      {expired && !error && (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          Your session expired, sign in again
        </p>
      )}
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      )}
      {ssoName && (
        <>
          <button type="button" onClick={() => void onSso()} disabled={submitting || !hydrated} className="btn w-full justify-center border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500">
            Sign in with {ssoName}
          </button>
          <div className="flex items-center gap-2 text-xs text-muted" aria-hidden="true">
            <span className="h-px flex-1 bg-line" />or with a password<span className="h-px flex-1 bg-line" />
          </div>
        </>
      )}
      <form method="post" onSubmit={onSubmit} className="space-y-4">
        <div className="space-y-1">
          <label htmlFor="login-email" className="block text-sm font-medium">Email</label>
          <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus={!ssoName} className="field w-full" />
        </div>
        <div className="space-y-1">
          <label htmlFor="login-password" className="block text-sm font-medium">Password</label>
          <input id="login-password" name="password" type="password" autoComplete="current-password" required className="field w-full" />
        </div>
        <button
          type="submit"
          disabled={submitting || !hydrated}
          aria-busy={submitting}
          className={`btn w-full justify-center ${ssoName ? '' : 'border-transparent bg-blue-700 text-white hover:bg-blue-800 dark:bg-blue-600 dark:hover:bg-blue-500'}`}
        >
          Sign in
        </button>
      </form>
    </div>
  );
}
