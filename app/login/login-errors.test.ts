import { describe, expect, it } from 'vitest';
import { describeLoginError } from './login-errors';

describe('describeLoginError', () => {
  it('explains the refusals an operator can act on', () => {
    expect(describeLoginError('AccessDenied')).toBe('Your account has no role in this console: ask an admin');
    expect(describeLoginError('CredentialsSignin')).toBe('Email or password is incorrect');
    expect(describeLoginError('OidcAccountConflict', 'Okta')).toMatch(/signs in with a password here, not through Okta/);
    expect(describeLoginError('AccountDisabled')).toMatch(/disabled/);
  });

  it('says how long a throttled sign-in must wait', () => {
    expect(describeLoginError('LoginThrottled:15')).toBe('Too many failed sign-ins; try again in 15 minutes');
    expect(describeLoginError('LoginThrottled:1')).toBe('Too many failed sign-ins; try again in 1 minute');
  });

  it('never echoes an unknown code (it is attacker-controlled URL text)', () => {
    expect(describeLoginError('Your bank account is locked, call 555-0100')).toBe('Sign-in failed. Try again in a moment.');
    expect(describeLoginError('LoginThrottled:soon')).toBe('Sign-in failed. Try again in a moment.');
    expect(describeLoginError('constructor')).toBe('Sign-in failed. Try again in a moment.');
    expect(describeLoginError(undefined)).toBeNull();
    expect(describeLoginError('')).toBeNull();
  });
});
