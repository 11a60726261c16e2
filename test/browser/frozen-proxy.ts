import net from 'node:net';

/**
 * A TCP proxy between the browser and the server that can FREEZE: traffic stops in both
 * directions but no socket is closed — what a phone meets when the Wi-Fi goes silent. While
 * frozen, new connections are accepted and left hanging too. `thaw()` lets traffic through
 * again; what was sent during the outage is lost for good.
 */
export interface FrozenProxy {
  url: string;
  freeze(): void;
  thaw(): void;
  readonly frozen: boolean;
  close(): Promise<void>;
}

export async function startFrozenProxy(target: { host: string; port: number }): Promise<FrozenProxy> {
  let frozen = false;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket | null }>();
  const hanging = new Set<net.Socket>();

  const link = (client: net.Socket) => {
    const pair: { client: net.Socket; upstream: net.Socket | null } = { client, upstream: null };
    pairs.add(pair);
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        // Frozen: swallow — nothing reaches the other side, nothing is closed.
        if (!frozen && !to.destroyed) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      if (frozen) return; // a frozen link never reports a close
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('close', end).on('error', () => {});
    upstream.on('close', end).on('error', () => {});
  };

  const server = net.createServer((client) => {
    client.on('error', () => {});
    if (frozen) {
      hanging.add(client);
      return;
    }
    link(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get frozen() {
      return frozen;
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      // What was swallowed is lost. A side closed during the outage now closes the other one;
      // idle links (e.g. kept-alive HTTP) carry on. Connections made during it are refused.
      for (const p of pairs) {
        if (p.client.destroyed || p.upstream?.destroyed) {
          p.client.destroy();
          p.upstream?.destroy();
          pairs.delete(p);
        }
      }
      for (const c of hanging) c.destroy();
      hanging.clear();
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream?.destroy();
      }
      for (const c of hanging) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
