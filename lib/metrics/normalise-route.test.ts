import { describe, expect, it } from 'vitest';
import { normaliseRoute } from './normalise-route';

describe('normaliseRoute', () => {
  it('puts each dynamic segment back as its param name', () => {
    expect(normaliseRoute('/api/v1/messages/123', { id: '123' })).toBe('/api/v1/messages/[id]');
    expect(normaliseRoute('/api/v1/messages/123/body', { id: '123' })).toBe('/api/v1/messages/[id]/body');
    expect(normaliseRoute('/api/v1/messages', {})).toBe('/api/v1/messages');
    expect(normaliseRoute('/api/v1/messages', undefined)).toBe('/api/v1/messages');
  });

  it('matches params in route order when two have the same value', () => {
    expect(normaliseRoute('/api/v1/messages/1/revisions/1', { id: '1', number: '1' })).toBe('/api/v1/messages/[id]/revisions/[number]');
  });

  it('never lets a queue name through, even one that looks like a static segment', () => {
    expect(normaliseRoute('/api/v1/sources/orders.dlq', { queue: 'orders.dlq' })).toBe('/api/v1/sources/[queue]');
    expect(normaliseRoute('/api/v1/sources/v1', { queue: 'v1' })).toBe('/api/v1/sources/[queue]');
    expect(normaliseRoute('/api/v1/sources/sources/protection', { queue: 'sources' })).toBe('/api/v1/sources/[queue]/protection');
  });

  it('decodes percent-encoded segments before matching them', () => {
    expect(normaliseRoute('/api/v1/sources/billing%20dlq%2Fx', { queue: 'billing dlq/x' })).toBe('/api/v1/sources/[queue]');
  });

  it('hides a segment no param explains unless it looks like a route segment', () => {
    expect(normaliseRoute('/api/v1/sources/Orders.DLQ', {})).toBe('/api/v1/sources/[param]');
    expect(normaliseRoute('/api/v1/messages/42', {})).toBe('/api/v1/messages/[param]');
    expect(normaliseRoute('/api/v1/messages/%E0%A4%A', {})).toBe('/api/v1/messages/[param]');
  });

  it('handles catch-all params', () => {
    expect(normaliseRoute('/api/auth/callback/oidc', { nextauth: ['callback', 'oidc'] })).toBe('/api/auth/[nextauth]/[nextauth]');
  });
});
