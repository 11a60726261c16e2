import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/** Pub/sub between instances: Redis when REDIS_URL is set, in-process otherwise. */
export interface Bus {
  readonly kind: 'redis' | 'memory';
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The Redis command connection (redis only) — for locks, cache and INFO. */
  redis?: Redis;
}

export function createMemoryBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    kind: 'memory',
    async publish(channel, message) {
      emitter.emit(channel, message);
    },
    async subscribe(channel, handler) {
      emitter.on(channel, handler);
      return async () => {
        emitter.off(channel, handler);
      };
    },
    async ping() {},
    async close() {
      emitter.removeAllListeners();
    },
  };
}

export async function createRedisBus(url: string): Promise<Bus> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true } as const;
  const pub = new Redis(url, options);
  const sub = new Redis(url, options);
  // Connection errors are reported by /api/ready; ioredis keeps reconnecting.
  pub.on('error', () => {});
  sub.on('error', () => {});
  await Promise.all([pub.connect(), sub.connect()]);
  const handlers = new Map<string, Set<(message: string) => void>>();
  sub.on('message', (channel: string, message: string) => {
    for (const h of handlers.get(channel) ?? []) h(message);
  });
  return {
    kind: 'redis',
    redis: pub,
    async publish(channel, message) {
      await pub.publish(channel, message);
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await sub.subscribe(channel);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0) {
          handlers.delete(channel);
          await sub.unsubscribe(channel);
        }
      };
    },
    async ping() {
      await pub.ping();
    },
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/**
 * A bus handler for JSON messages that name their sender's instance in `i`: this instance's own
 * messages are skipped (every instance hears what it publishes), and a message that does not
 * parse or whose handler throws goes to `onBad` instead of escaping into the subscriber.
 */
export function fromOtherInstances<T extends { i: string }>(
  instanceId: string,
  onBad: (err: unknown) => void,
  handle: (message: T) => void,
): (raw: string) => void {
  return (raw) => {
    try {
      const m = JSON.parse(raw) as T | null;
      if (m === null || typeof m !== 'object' || m.i === instanceId) return;
      handle(m);
    } catch (err) {
      onBad(err);
    }
  };
}
