import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 free right now (the OS picks it); also a port nothing listens on, once returned. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
