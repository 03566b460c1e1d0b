// What a sign-in error code means to the person at the login page. The codes come from
// next-auth (?error=AccessDenied, OAuthCallback, ...) and from lib/auth: the OIDC refusals
// (lib/auth/map-oidc-claims.ts, lib/users/upsert-oidc-user.ts) and the login throttle
// (LoginThrottled:<minutes>, lib/auth/authorize-credentials.ts).

const MESSAGES: Record<string, (sso: string) => string> = {
  CredentialsSignin: () => 'Email or password is incorrect',
  AccessDenied: () => 'Your account has no role in this console: ask an admin',
  AccountDisabled: () => 'Your account is disabled: ask an admin',
  OidcEmailUnverified: (sso) => `${sso} has not verified your email address, so it cannot be used here`,
  OidcNoEmail: (sso) => `${sso} did not send an email address: ask an admin to release the email claim to this console`,
  OidcAccountConflict: (sso) => `An account with your email signs in with a password here, not through ${sso}: use the password form`,
  OAuthSignin: (sso) => `Could not start sign-in with ${sso}. Try again; if it keeps failing, ask an admin to check the console log`,
  OAuthCallback: (sso) => `Sign-in with ${sso} failed. Try again; if it keeps failing, ask an admin to check the console log`,
  Callback: (sso) => `Sign-in with ${sso} failed. Try again; if it keeps failing, ask an admin to check the console log`,
  OAuthAccountNotLinked: () => 'This email is already used by another sign-in method',
  Configuration: () => 'Sign-in is not configured correctly: ask an admin to check the console log',
};

/** The message for an error code, or null for none. Unknown codes get a generic message, never the code's text. */
export function describeLoginError(code: string | null | undefined, ssoName = 'single sign-on'): string | null {
  if (!code) return null;
  const throttled = /^LoginThrottled:(\d+)$/.exec(code);
  if (throttled) {
    const minutes = Number(throttled[1]);
    return `Too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  return Object.hasOwn(MESSAGES, code) ? MESSAGES[code]!(ssoName) : 'Sign-in failed. Try again in a moment.';
}
