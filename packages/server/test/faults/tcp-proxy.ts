import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a server, for faults a real network has: `freeze()` stops all traffic
 * both ways on the connections open now without closing them (a phone that lost Wi-Fi: no FIN,
 * no RST, nothing), while new connections pass normally (the phone coming back on another path).
 */
export interface TcpProxy {
  /** http://127.0.0.1:<proxy port> */
  url: string;
  port: number;
  freeze(): void;
  /** Open connections (client side). */
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ port: targetPort, host: targetHost });
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    // Forward by hand (not pipe) so a freeze can drop everything in flight on the floor.
    client.on('data', (d) => void (pair.frozen || upstream.write(d)));
    upstream.on('data', (d) => void (pair.frozen || client.write(d)));
    const end = () => {
      pairs.delete(pair);
      if (pair.frozen) return; // a frozen path never tells either side anything
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    freeze() {
      for (const p of pairs) {
        p.frozen = true;
        // Stop reading too: the kernel buffers fill up as they would on a dead radio link.
        p.client.pause();
        p.upstream.pause();
      }
    },
    connections: () => pairs.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const p of pairs) {
          p.client.destroy();
          p.upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
