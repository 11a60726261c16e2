import type { Redis } from 'ioredis';
import type { OpsSample } from './sample.js';

/**
 * Each instance's latest sample, shared through Redis: for the instance list and the alert
 * leader's per-instance rules. Without Redis the list is this instance alone.
 */
const INSTANCE_PREFIX = 'rstream:ops:instance:';

export interface InstanceInfo {
  id: string;
  hostname: string;
  pid: number;
  version: string;
  startedAt: string;
  db: string;
  bus: string;
}
export interface InstanceRecord extends InstanceInfo {
  leader: boolean;
  sample: OpsSample | null;
}

export function createInstanceRegistry(redis: Redis | undefined, self: InstanceInfo, ttlMs: number) {
  let mine: InstanceRecord = { ...self, leader: !redis, sample: null };
  return {
    async publish(sample: OpsSample, leader: boolean): Promise<void> {
      mine = { ...self, leader, sample };
      if (redis)
        await redis.set(INSTANCE_PREFIX + self.id, JSON.stringify(mine), 'PX', ttlMs).catch(() => {});
    },
    /** Every live instance (self first); others from Redis when used. */
    async list(): Promise<InstanceRecord[]> {
      if (!redis) return [mine];
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${INSTANCE_PREFIX}*`, 'COUNT', 200);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      const values = keys.length ? await redis.mget(...keys) : [];
      const others = values
        .filter((v): v is string => !!v)
        .map((v) => JSON.parse(v) as InstanceRecord)
        .filter((r) => r.id !== self.id);
      return [mine, ...others.sort((a, b) => a.id.localeCompare(b.id))];
    },
    async remove(): Promise<void> {
      if (redis) await redis.del(INSTANCE_PREFIX + self.id).catch(() => {});
    },
  };
}
export type InstanceRegistry = ReturnType<typeof createInstanceRegistry>;
