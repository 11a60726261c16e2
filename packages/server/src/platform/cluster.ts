import cluster, { type Worker } from 'node:cluster';
import type { Bus } from './bus.js';
import { createMemoryLocks, type Locks } from './locks.js';

/**
 * Several worker processes on one machine, one port (node:cluster). Without Redis the primary
 * process relays bus messages between the workers and holds their leases, so one session still
 * has one graph; with Redis the workers talk through Redis like separate instances.
 */

type ToPrimary =
  | { rs: 'pub'; channel: string; message: string }
  | { rs: 'lock'; id: number; op: 'acquire' | 'release'; key: string; owner: string; ttlMs: number };
type ToWorker =
  { rs: 'msg'; channel: string; message: string } | { rs: 'lockReply'; id: number; ok: boolean };

const isToPrimary = (m: unknown): m is ToPrimary => typeof m === 'object' && m !== null && 'rs' in m;

/** In the primary: fork `count` workers, relay their bus messages, serve leases, replace crashed ones. */
export function runPrimary(count: number, log: (msg: string) => void): { stop(): Promise<void> } {
  const locks = createMemoryLocks();
  let stopping = false;
  const onMessage = (worker: Worker, m: unknown) => {
    if (!isToPrimary(m)) return;
    if (m.rs === 'pub') {
      const out: ToWorker = { rs: 'msg', channel: m.channel, message: m.message };
      for (const w of Object.values(cluster.workers ?? {})) if (w?.isConnected()) w.send(out);
    } else if (m.rs === 'lock') {
      const reply = (ok: boolean) =>
        worker.isConnected() && worker.send({ rs: 'lockReply', id: m.id, ok } satisfies ToWorker);
      if (m.op === 'acquire') void locks.acquire(m.key, m.owner, m.ttlMs).then(reply);
      else void locks.release(m.key, m.owner).then(() => reply(true));
    }
  };
  cluster.on('message', onMessage);
  const fork = (index: number) => {
    const w = cluster.fork({ RSTREAM_WORKER_INDEX: String(index) });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      log(`worker ${index} exited (${signal ?? code}); starting a new one`);
      setTimeout(() => fork(index), 500).unref();
    });
  };
  for (let i = 1; i <= count; i++) fork(i);
  return {
    async stop() {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/** In a worker: the bus, relayed by the primary. */
export function createIpcBus(): Bus {
  const handlers = new Map<string, Set<(message: string) => void>>();
  const onMessage = (m: ToWorker) => {
    if (m?.rs !== 'msg') return;
    for (const h of handlers.get(m.channel) ?? []) h(m.message);
  };
  process.on('message', onMessage);
  return {
    kind: 'memory',
    async publish(channel, message) {
      process.send?.({ rs: 'pub', channel, message } satisfies ToPrimary);
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(handler);
      return async () => {
        set.delete(handler);
      };
    },
    async ping() {
      if (!process.connected) throw new Error('primary process is gone');
    },
    async close() {
      process.off('message', onMessage);
      handlers.clear();
    },
  };
}

/** In a worker: leases held by the primary. */
export function createIpcLocks(): Locks {
  let next = 1;
  const pending = new Map<number, (ok: boolean) => void>();
  process.on('message', (m: ToWorker) => {
    if (m?.rs !== 'lockReply') return;
    pending.get(m.id)?.(m.ok);
    pending.delete(m.id);
  });
  const ask = (op: 'acquire' | 'release', key: string, owner: string, ttlMs: number) =>
    new Promise<boolean>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      process.send?.({ rs: 'lock', id, op, key, owner, ttlMs } satisfies ToPrimary);
      setTimeout(() => {
        if (pending.delete(id)) resolve(false);
      }, 2000).unref();
    });
  return {
    kind: 'ipc',
    acquire: (key, owner, ttlMs) => ask('acquire', key, owner, ttlMs),
    async release(key, owner) {
      await ask('release', key, owner, 0);
    },
  };
}

export const workerIndex = (): number | null =>
  cluster.isWorker ? Number(process.env.RSTREAM_WORKER_INDEX ?? cluster.worker?.id ?? 1) : null;
