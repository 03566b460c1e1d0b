import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { errorCategory } from './deliver-notifications';
import { addressProblem, AddressNotAllowedError, literalHostProblem, vettedLookup } from './webhook-address';

describe('addressProblem', () => {
  it('refuses link-local, metadata, unspecified, multicast and reserved addresses even with private addresses allowed', () => {
    for (const ip of ['169.254.169.254', '169.254.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '100.100.100.200', '::', 'fe80::1', 'ff02::1', 'fd00:ec2::254', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe']) {
      expect([ip, addressProblem(ip, true)]).toEqual([ip, 'forbidden']);
    }
  });

  it('refuses loopback and private ranges unless allowed', () => {
    for (const ip of ['127.0.0.1', '127.8.9.10', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '::1', 'fc00::1', 'fd12:3456::1', '::ffff:10.0.0.5', '::ffff:7f00:1']) {
      expect([ip, addressProblem(ip, false)]).toEqual([ip, 'private']);
      expect([ip, addressProblem(ip, true)]).toEqual([ip, null]);
    }
  });

  it('allows public addresses', () => {
    for (const ip of ['93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '8.8.8.8']) expect([ip, addressProblem(ip, false)]).toEqual([ip, null]);
  });

  it('checks a literal host, brackets and all; a name is left to the lookup', () => {
    expect(literalHostProblem('[::1]', false)).toBe('private');
    expect(literalHostProblem('169.254.169.254', true)).toBe('forbidden');
    expect(literalHostProblem('hooks.example.com', false)).toBeNull();
  });
});

describe('vettedLookup', () => {
  const resolver = (addresses: LookupAddress[]) => ((_host: string, _options: unknown, callback: (e: Error | null, a: LookupAddress[]) => void) => callback(null, addresses)) as never;
  const run = (addresses: LookupAddress[], all: boolean, allowPrivate = false) =>
    new Promise<{ error: Error | null; result: unknown }>((resolve) => {
      vettedLookup(allowPrivate, resolver(addresses))('hooks.example.com', { all }, (error: Error | null, address: unknown) => resolve({ error, result: address }));
    });

  it('hands the connection exactly the addresses it checked', async () => {
    expect(await run([{ address: '93.184.216.34', family: 4 }], false)).toEqual({ error: null, result: '93.184.216.34' });
    expect(await run([{ address: '93.184.216.34', family: 4 }, { address: '2606:4700::1111', family: 6 }], true)).toMatchObject({ result: [{ address: '93.184.216.34' }, { address: '2606:4700::1111' }] });
  });

  it('refuses a name when any of its addresses is not allowed (a rebinding answer included)', async () => {
    const refused = await run([{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 }], true);
    expect(refused.error).toBeInstanceOf(AddressNotAllowedError);
    expect(refused.error!.message).toBe('address not allowed (private network)');
    expect((await run([{ address: '169.254.169.254', family: 4 }], false, true)).error!.message).toBe('address not allowed (link-local, metadata or reserved)');
  });
});

describe('errorCategory', () => {
  it('names a category, never the socket message with its address', () => {
    const sock = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.5:6379`), { code });
    expect(errorCategory(sock('ECONNREFUSED'))).toBe('connection refused');
    expect(errorCategory(sock('ETIMEDOUT'))).toBe('timed out');
    expect(errorCategory(sock('ENOTFOUND'))).toBe('DNS lookup failed');
    expect(errorCategory(sock('ECONNRESET'))).toBe('connection reset');
    expect(errorCategory(sock('CERT_HAS_EXPIRED'))).toBe('TLS error');
    expect(errorCategory(new Error('something odd at 10.0.0.5'))).toBe('connection failed');
    expect(errorCategory(new AddressNotAllowedError('private'))).toBe('address not allowed (private network)');
  });
});
