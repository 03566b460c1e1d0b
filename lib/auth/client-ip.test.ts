import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip';

describe('clientIp', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted: a client can send it', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '203.0.113.9' }), { trustProxy: false })).toBeNull();
  });

  it('takes the last entry behind a trusted proxy, the one the proxy appended', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '10.9.9.9, 198.51.100.7' }), { trustProxy: true })).toBe('198.51.100.7');
    expect(clientIp({ 'x-forwarded-for': ['1.1.1.1', '192.0.2.4'] }, { trustProxy: true })).toBe('192.0.2.4');
  });

  it('strips a port, lowercases IPv6, and refuses what is not an address', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '192.0.2.4:5123' }), { trustProxy: true })).toBe('192.0.2.4');
    expect(clientIp(new Headers({ 'x-forwarded-for': '[2001:DB8::1]:443' }), { trustProxy: true })).toBe('2001:db8::1');
    expect(clientIp(new Headers({ 'x-forwarded-for': 'unknown' }), { trustProxy: true })).toBeNull();
    expect(clientIp(new Headers({ 'x-forwarded-for': ' , ' }), { trustProxy: true })).toBeNull();
    expect(clientIp(new Headers(), { trustProxy: true })).toBeNull();
  });
});
