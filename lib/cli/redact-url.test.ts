import { expect, it } from 'vitest';
import { redactUrl } from './redact-url';

it('hides the password in the user info and in secret query parameters', () => {
  expect(redactUrl('postgresql://app:s3cret@db:5432/dlq')).toBe('postgresql://app:***@db:5432/dlq');
  const printed = redactUrl('postgresql://app@db:5432/dlq?password=s3cret&sslpassword=k3y&sslkey=/k.pem&sslcert=/c.pem&sslmode=require');
  expect(printed).not.toMatch(/s3cret|k3y|k\.pem|c\.pem/);
  expect(printed).toContain('sslmode=require');
  expect(printed).toContain('password=***');
});

it('says a URL it cannot parse is one, without echoing it', () => {
  expect(redactUrl('not a url s3cret')).toBe('(unparseable URL)');
});
