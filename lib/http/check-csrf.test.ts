import { describe, expect, it } from 'vitest';
import { appOriginOf, isSameOriginRequest } from './check-csrf';

const APP = 'https://dlq.example.com';
const check = (method: string, origin: string | null, secFetchSite: string | null = null) =>
  isSameOriginRequest({ method, origin, secFetchSite, appOrigin: APP });

describe('isSameOriginRequest', () => {
  it('lets the console\'s own state-changing calls through', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'post']) expect(check(method, APP, 'same-origin'), method).toBe(true);
    expect(check('POST', 'https://DLQ.example.com:443')).toBe(true);
  });

  it('refuses a state-changing call from another origin, whatever else it says', () => {
    expect(check('POST', 'https://evil.example')).toBe(false);
    expect(check('DELETE', 'https://evil.example', 'same-origin')).toBe(false);
    expect(check('PATCH', 'http://dlq.example.com')).toBe(false); // another scheme
    expect(check('PUT', 'https://dlq.example.com:8443')).toBe(false); // another port
    expect(check('POST', 'https://dlq.example.com.evil.example')).toBe(false);
    expect(check('POST', 'null')).toBe(false);
    expect(check('POST', 'not a url')).toBe(false);
  });

  it('without Origin, needs Sec-Fetch-Site: same-origin', () => {
    expect(check('POST', null, 'same-origin')).toBe(true);
    expect(check('POST', null, 'same-site')).toBe(false);
    expect(check('POST', null, 'cross-site')).toBe(false);
    expect(check('POST', null, 'none')).toBe(false);
    expect(check('POST', null, null)).toBe(false);
  });

  it('does not look at reads', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(check(method, 'https://evil.example', 'cross-site'), method).toBe(true);
  });
});

describe('appOriginOf', () => {
  it('prefers NEXTAUTH_URL, else the Host the request came to', () => {
    expect(appOriginOf({ nextAuthUrl: 'https://dlq.example.com/console', requestUrl: 'http://127.0.0.1:3000/api/v1/x', host: '127.0.0.1:3000' })).toBe('https://dlq.example.com');
    expect(appOriginOf({ requestUrl: 'http://localhost:3000/api/v1/x', host: '127.0.0.1:3000' })).toBe('http://127.0.0.1:3000');
    expect(appOriginOf({ requestUrl: 'http://localhost:3000/api/v1/x', host: null })).toBe('http://localhost:3000');
  });
});
