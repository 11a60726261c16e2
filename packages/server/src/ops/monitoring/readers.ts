import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { Db } from '../../platform/db.js';

/**
 * Readers of the values /metrics and the operations dashboard show. Each reader is cheap,
 * bounded by a short timeout (a slow database never blocks a scrape) and shares one
 * in-flight read between callers that ask within `ttlMs`.
 */

export const READ_TIMEOUT_MS = 1500;

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      timer.unref();
    }),
  ]);
}

/** Shares one read among callers within ttlMs. */
export function cached<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let at = 0;
  let value: Promise<T> | null = null;
  return () => {
    const now = Date.now();
    if (!value || now - at > ttlMs) {
      at = now;
      value = read().catch((e) => {
        at = 0; // do not keep a failure
        throw e;
      });
    }
    return value;
  };
}

// ---- system -----------------------------------------------------------------------

export interface Volume {
  volume: string;
  path: string;
  totalBytes: number;
  freeBytes: number;
  usedRatio: number;
}
export interface NetIface {
  iface: string;
  rxBytes: number;
  txBytes: number;
}
export interface SystemReading {
  cpuRatio: number | null;
  load1: number;
  cpus: number;
  memTotalBytes: number;
  memAvailableBytes: number;
  volumes: Volume[];
  net: NetIface[];
}

export async function readVolume(volume: string, dir: string): Promise<Volume> {
  const s = await statfs(dir);
  const total = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const avail = s.bavail * s.bsize;
  // like df: used / (used + available to unprivileged users)
  return {
    volume,
    path: dir,
    totalBytes: total,
    freeBytes: avail,
    usedRatio: used + avail > 0 ? used / (used + avail) : 0,
  };
}

/** /proc/net/dev (Linux); empty elsewhere. Loopback is left out. */
export async function readNetDev(file = '/proc/net/dev'): Promise<NetIface[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return parseNetDev(text);
}

export function parseNetDev(text: string): NetIface[] {
  const out: NetIface[] = [];
  for (const line of text.split('\n').slice(2)) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m || m[1] === 'lo') continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 9) continue;
    out.push({ iface: m[1]!, rxBytes: f[0]!, txBytes: f[8]! });
  }
  return out;
}

function cpuTimes() {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total };
}

export function createSystemReader(volumes: { volume: string; path: string }[]) {
  let last = cpuTimes();
  return cached(async (): Promise<SystemReading> => {
    const now = cpuTimes();
    const dt = now.total - last.total;
    const cpuRatio = dt > 0 ? 1 - (now.idle - last.idle) / dt : null;
    last = now;
    const vols = await Promise.all(
      volumes.map((v) =>
        withTimeout(readVolume(v.volume, v.path), READ_TIMEOUT_MS, `statfs ${v.volume}`).catch(() => null),
      ),
    );
    return {
      cpuRatio,
      load1: os.loadavg()[0] ?? 0,
      cpus: os.cpus().length,
      memTotalBytes: os.totalmem(),
      memAvailableBytes: os.freemem(),
      volumes: vols.filter((v): v is Volume => v !== null),
      net: await readNetDev(),
    };
  }, 1000);
}

// ---- database ----------------------------------------------------------------------

export interface DbReading {
  up: boolean;
  error: string | null;
  pool: { total: number; idle: number; waiting: number; max: number } | null;
  /** cumulative deadlocks of this database (pg_stat_database); null when unreadable */
  deadlocks: number | null;
  /** null: not replicated / not knowable (PGlite) */
  replication: { role: 'primary' | 'replica'; lags: { replica: string; seconds: number }[] } | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function createDbReader(db: Db) {
  return cached(async (): Promise<DbReading> => {
    const q = <T>(what: string, p: Promise<T>) => withTimeout(p, READ_TIMEOUT_MS, what);
    const pool = db.pool
      ? {
          total: db.pool.totalCount,
          idle: db.pool.idleCount,
          waiting: db.pool.waitingCount,
          max: db.pool.options.max ?? 10,
        }
      : null;
    try {
      await q('select 1', sql`select 1`.execute(db.kysely));
    } catch (e) {
      return { up: false, error: (e as Error).message, pool, deadlocks: null, replication: null };
    }
    const [deadlocks, replication] = await Promise.all([
      q(
        'pg_stat_database',
        sql<{
          deadlocks: string | number;
        }>`select deadlocks from pg_stat_database where datname = current_database()`.execute(db.kysely),
      )
        .then((r) => num(r.rows[0]?.deadlocks))
        .catch(() => null),
      db.kind === 'pglite' ? Promise.resolve(null) : readReplication(db).catch(() => null),
    ]);
    return { up: true, error: null, pool, deadlocks, replication };
  }, 2000);
}

async function readReplication(db: Db): Promise<DbReading['replication']> {
  const k = db.kysely;
  const { rows } = await withTimeout(
    sql<{ replica: boolean }>`select pg_is_in_recovery() as replica`.execute(k),
    READ_TIMEOUT_MS,
    'pg_is_in_recovery',
  );
  if (rows[0]?.replica) {
    const r = await withTimeout(
      sql<{
        lag: string | number | null;
      }>`select extract(epoch from now() - pg_last_xact_replay_timestamp()) as lag`.execute(k),
      READ_TIMEOUT_MS,
      'replay lag',
    );
    const lag = num(r.rows[0]?.lag);
    return { role: 'replica', lags: lag === null ? [] : [{ replica: 'self', seconds: Math.max(0, lag) }] };
  }
  const r = await withTimeout(
    sql<{
      name: string;
      lag: string | number | null;
    }>`select coalesce(application_name, client_addr::text, pid::text) as name,
      coalesce(extract(epoch from replay_lag), 0) as lag from pg_stat_replication`.execute(k),
    READ_TIMEOUT_MS,
    'pg_stat_replication',
  );
  if (r.rows.length === 0) return null;
  return {
    role: 'primary',
    lags: r.rows.map((x) => ({ replica: x.name || 'unnamed', seconds: num(x.lag) ?? 0 })),
  };
}

// ---- cache (Redis) -------------------------------------------------------------------

export interface CacheReading {
  hits: number;
  misses: number;
  usedMemoryBytes: number;
  maxMemoryBytes: number;
  keys: number;
  keysWithTtl: number;
  evictedKeys: number;
}

export function parseRedisInfo(info: string): CacheReading {
  const f = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) f.set(line.slice(0, i), line.slice(i + 1));
  }
  let keys = 0;
  let keysWithTtl = 0;
  for (const [k, v] of f) {
    if (!/^db\d+$/.test(k)) continue;
    keys += Number(/keys=(\d+)/.exec(v)?.[1] ?? 0);
    keysWithTtl += Number(/expires=(\d+)/.exec(v)?.[1] ?? 0);
  }
  const n = (k: string) => Number(f.get(k) ?? 0);
  return {
    hits: n('keyspace_hits'),
    misses: n('keyspace_misses'),
    usedMemoryBytes: n('used_memory'),
    maxMemoryBytes: n('maxmemory'),
    keys,
    keysWithTtl,
    evictedKeys: n('evicted_keys'),
  };
}

export function createCacheReader(redis: Redis | undefined) {
  if (!redis) return null;
  return cached(
    async () => parseRedisInfo(await withTimeout(redis.info(), READ_TIMEOUT_MS, 'redis INFO')),
    2000,
  );
}
