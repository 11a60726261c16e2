import type { Redis } from 'ioredis';

/**
 * Leases for work that must run on one instance at a time (per-second aggregates, scheduled
 * jobs). `acquire` takes the lease or renews it when this owner already holds it.
 */
export interface Locks {
  readonly kind: 'memory' | 'redis' | 'ipc';
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  release(key: string, owner: string): Promise<void>;
}

export function createMemoryLocks(now: () => number = Date.now): Locks {
  const held = new Map<string, { owner: string; expiresAt: number }>();
  return {
    kind: 'memory',
    async acquire(key, owner, ttlMs) {
      const h = held.get(key);
      const t = now();
      if (h && h.owner !== owner && h.expiresAt > t) return false;
      held.set(key, { owner, expiresAt: t + ttlMs });
      return true;
    },
    async release(key, owner) {
      if (held.get(key)?.owner === owner) held.delete(key);
    },
  };
}

// Take the lease if free, renew it if ours: atomic in Redis.
const ACQUIRE = `
local v = redis.call('GET', KEYS[1])
if v == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function createRedisLocks(redis: Redis, prefix = 'rstream:lock:'): Locks {
  return {
    kind: 'redis',
    async acquire(key, owner, ttlMs) {
      return (await redis.eval(ACQUIRE, 1, prefix + key, owner, String(ttlMs))) === 1;
    },
    async release(key, owner) {
      await redis.eval(RELEASE, 1, prefix + key, owner);
    },
  };
}

/** Holds a lease while `fn` runs, renewing it every ttl/3; null when someone else holds it. */
export async function withLease<T>(
  locks: Locks,
  key: string,
  owner: string,
  ttlMs: number,
  fn: () => Promise<T>,
): Promise<T | null> {
  if (!(await locks.acquire(key, owner, ttlMs))) return null;
  const renew = setInterval(
    () => void locks.acquire(key, owner, ttlMs).catch(() => false),
    Math.max(50, Math.floor(ttlMs / 3)),
  );
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await locks.release(key, owner).catch(() => {});
  }
}
