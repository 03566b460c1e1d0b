import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Where the worker may POST a webhook (SSRF). An operator chooses the URL, so without a
// check a rule could reach the cloud metadata service, the worker's own loopback or any
// internal service, and the delivery errors would map the network. Link-local (which
// holds the metadata addresses), unspecified, multicast and reserved addresses are refused
// always; loopback and private ranges unless DLQ_WEBHOOK_ALLOW_PRIVATE=true (a receiver
// inside the network, e.g. Alertmanager next to the console). The check runs on the
// addresses the host resolves to, inside the lookup the connection itself uses, so a DNS
// answer that changes between check and connect (rebinding) cannot slip through.

export type TAddressProblem = 'forbidden' | 'private';

const FORBIDDEN = new BlockList();
FORBIDDEN.addSubnet('0.0.0.0', 8, 'ipv4'); // unspecified, "this network"
FORBIDDEN.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local: 169.254.169.254 metadata
FORBIDDEN.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
FORBIDDEN.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, broadcast
FORBIDDEN.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
FORBIDDEN.addAddress('192.0.0.192', 'ipv4'); // Oracle Cloud metadata
FORBIDDEN.addAddress('::', 'ipv6'); // unspecified
FORBIDDEN.addSubnet('fe80::', 10, 'ipv6'); // link-local
FORBIDDEN.addSubnet('ff00::', 8, 'ipv6'); // multicast
FORBIDDEN.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
PRIVATE.addAddress('::1', 'ipv6'); // loopback
PRIVATE.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.5 or ::ffff:a00:5) as its IPv4 address, else null. */
function mappedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why the worker may not connect to `address` (an IP literal), or null when it may. */
export function addressProblem(address: string, allowPrivate: boolean): TAddressProblem | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = isIP(bare) === 4 ? bare : mappedIpv4(bare);
  const [ip, type] = v4 ? [v4, 'ipv4' as const] : [bare, 'ipv6' as const];
  if (isIP(ip) === 0) return 'forbidden';
  if (FORBIDDEN.check(ip, type)) return 'forbidden';
  if (!allowPrivate && PRIVATE.check(ip, type)) return 'private';
  return null;
}

/** Thrown when a webhook's host is, or resolves to, an address the worker may not reach. */
export class AddressNotAllowedError extends Error {
  readonly code = 'EADDRNOTALLOWED';
  constructor(readonly problem: TAddressProblem) {
    super(problem === 'private' ? 'address not allowed (private network)' : 'address not allowed (link-local, metadata or reserved)');
    this.name = 'AddressNotAllowedError';
  }
}

/** The host's problem when it is an IP literal (a connection to a literal skips the lookup). */
export function literalHostProblem(hostname: string, allowPrivate: boolean): TAddressProblem | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) ? addressProblem(bare, allowPrivate) : null;
}

/**
 * A `lookup` for http(s).request: resolves every address of the host, refuses them all when
 * one is not allowed, and hands the connection exactly the addresses it checked.
 */
export function vettedLookup(allowPrivate: boolean, resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { all: true, family: options.family }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const list = addresses ?? [];
      const problem = list.length === 0 ? 'forbidden' : list.map((a) => addressProblem(a.address, allowPrivate)).find((p) => p !== null) ?? null;
      if (problem) return callback(new AddressNotAllowedError(problem), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
