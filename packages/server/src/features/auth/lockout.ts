import type { Redis } from 'ioredis';

/**
 * Failed sign-in counting and lock-out, per account and per IP. Shared through Redis when the bus
 * has it (several instances see the same counts), in memory otherwise.
 */
export interface LockoutPolicy {
  /** failures within the window that lock an account */
  accountThreshold: number;
  /** failures within the window that block an IP from signing in */
  ipThreshold: number;
  windowMs: number;
  lockMs: number;
}

interface Store {
  /** Adds one failure; returns the count within the window. */
  fail(key: string, windowMs: number): Promise<number>;
  clear(key: string): Promise<void>;
  lock(key: string, ms: number): Promise<void>;
  /** ms left on the lock, 0 when not locked */
  lockedFor(key: string): Promise<number>;
}

function memoryStore(now: () => number): Store {
  const counts = new Map<string, { n: number; until: number }>();
  const locks = new Map<string, number>();
  const sweep = () => {
    const t = now();
    if (counts.size > 10_000) for (const [k, v] of counts) if (v.until <= t) counts.delete(k);
    if (locks.size > 10_000) for (const [k, v] of locks) if (v <= t) locks.delete(k);
  };
  return {
    async fail(key, windowMs) {
      sweep();
      const t = now();
      const c = counts.get(key);
      if (!c || c.until <= t) {
        counts.set(key, { n: 1, until: t + windowMs });
        return 1;
      }
      c.n++;
      return c.n;
    },
    async clear(key) {
      counts.delete(key);
    },
    async lock(key, ms) {
      locks.set(key, now() + ms);
    },
    async lockedFor(key) {
      const until = locks.get(key);
      if (until === undefined) return 0;
      const left = until - now();
      if (left <= 0) locks.delete(key);
      return Math.max(0, left);
    },
  };
}

function redisStore(redis: Redis, prefix: string): Store {
  return {
    async fail(key, windowMs) {
      const k = `${prefix}fail:${key}`;
      const [[, n]] = (await redis.multi().incr(k).pexpire(k, windowMs, 'NX').exec()) as [[unknown, number]];
      return Number(n);
    },
    async clear(key) {
      await redis.del(`${prefix}fail:${key}`);
    },
    async lock(key, ms) {
      await redis.set(`${prefix}lock:${key}`, '1', 'PX', ms);
    },
    async lockedFor(key) {
      const ttl = await redis.pttl(`${prefix}lock:${key}`);
      return ttl > 0 ? ttl : 0;
    },
  };
}

export function createLockout(
  policy: LockoutPolicy,
  options: { redis?: Redis; prefix?: string; now?: () => number } = {},
) {
  const store = options.redis
    ? redisStore(options.redis, options.prefix ?? 'rstream:auth:')
    : memoryStore(options.now ?? Date.now);
  const accountKey = (account: string) => `acct:${account.trim().toLowerCase()}`;
  const ipKey = (ip: string) => `ip:${ip}`;
  return {
    policy,
    kind: options.redis ? ('redis' as const) : ('memory' as const),
    /** ms until the account may try again (0 = may try now) */
    accountLockedFor: (account: string) => store.lockedFor(accountKey(account)),
    ipLockedFor: (ip: string) => store.lockedFor(ipKey(ip)),
    /** Counts a failure; says whether this one locked the account or the IP. */
    async failure(
      account: string,
      ip: string | null,
    ): Promise<{ accountLocked: boolean; ipLocked: boolean; accountFailures: number }> {
      const n = await store.fail(accountKey(account), policy.windowMs);
      const accountLocked = n >= policy.accountThreshold;
      if (accountLocked) {
        await store.lock(accountKey(account), policy.lockMs);
        await store.clear(accountKey(account));
      }
      let ipLocked = false;
      if (ip) {
        const m = await store.fail(ipKey(ip), policy.windowMs);
        ipLocked = m >= policy.ipThreshold;
        if (ipLocked) {
          await store.lock(ipKey(ip), policy.lockMs);
          await store.clear(ipKey(ip));
        }
      }
      return { accountLocked, ipLocked, accountFailures: n };
    },
    /** A success forgets the account's earlier failures. */
    success: (account: string) => store.clear(accountKey(account)),
  };
}
export type Lockout = ReturnType<typeof createLockout>;
