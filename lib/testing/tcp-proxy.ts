import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

// A TCP proxy on 127.0.0.1 in front of a local service, that a test can cut and restore:
// an outage of that service for whatever connects through the proxy, and nobody else.
// Cut, it drops every open connection and resets new ones at once (no timeout to wait for).
// Held, it keeps what the service sends back from its clients until released: the service
// has answered, but nothing has arrived yet.

export type TTcpProxy = {
  port: number;
  /** The target URL with its host and port replaced by the proxy's. */
  url(target: string): string;
  cut(): void;
  restore(): void;
  /** Holds back what the service sends on open connections, until release(). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
};

export async function startTcpProxy({ host, port }: { host: string; port: number }): Promise<TTcpProxy> {
  let cut = false;
  const sockets = new Set<Socket>();
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let held = false;
  const track = (s: Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); };
  const server = createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host, port });
    track(client);
    track(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    if (!held) upstream.pipe(client);
    const pair = { client, upstream };
    pairs.add(pair);
    upstream.once('close', () => pairs.delete(pair));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (server.address() as AddressInfo).port;
  return {
    port: proxyPort,
    url(target: string) {
      const url = new URL(target);
      url.hostname = '127.0.0.1';
      url.port = String(proxyPort);
      return url.toString();
    },
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    hold() {
      held = true;
      for (const { client, upstream } of pairs) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    release() {
      held = false;
      for (const { client, upstream } of pairs) upstream.pipe(client);
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
