import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { WsClient } from '../helpers.js';
import { startServerProcess, type ServerProcess } from './processes.js';

export interface TwoInstances {
  readonly a: ServerProcess;
  readonly b: ServerProcess;
  /** A socket to an instance, closed after the file. */
  ws(base: string, sessionId: string, token: string): WsClient;
  /** The same, once its `welcome` has arrived. */
  welcomed(base: string, sessionId: string, token: string): Promise<WsClient>;
}

/**
 * Two server processes on the run's PostgreSQL and Redis, started before the file's tests and
 * stopped after them (with every socket opened through `ws`). `env` is read when they start, after
 * the hooks registered before this call (a private Redis, say); it adds to or overrides the
 * defaults (one JWT secret for both, TICK_MS 100, PRESENCE_GRACE_MS 1000).
 */
export function twoInstances(
  opts: {
    env?: () => Record<string, string>;
    /** start B after A (heavier start-ups on a shared machine) */
    oneAfterTheOther?: boolean;
    startTimeoutMs?: number;
    hookTimeoutMs?: number;
    /** how they are stopped after the file */
    killSignal?: NodeJS.Signals;
  } = {},
): TwoInstances {
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  const sockets: WsClient[] = [];
  beforeAll(async () => {
    const env = {
      DATABASE_URL: inject('pgUrl'),
      REDIS_URL: inject('redisUrl'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      TICK_MS: '100',
      PRESENCE_GRACE_MS: '1000',
      ...opts.env?.(),
    };
    const start = () => startServerProcess(env, opts.startTimeoutMs);
    if (opts.oneAfterTheOther) {
      a = await start();
      b = await start();
    } else [a, b] = await Promise.all([start(), start()]);
  }, opts.hookTimeoutMs ?? 60_000);
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([a?.kill(opts.killSignal), b?.kill(opts.killSignal)]);
  });
  const started = (p: ServerProcess | undefined) => {
    if (!p) throw new Error('the two instances have not started');
    return p;
  };
  const ws = (base: string, sessionId: string, token: string) => {
    const c = new WsClient(base, sessionId, token);
    sockets.push(c);
    return c;
  };
  return {
    get a() {
      return started(a);
    },
    get b() {
      return started(b);
    },
    ws,
    async welcomed(base, sessionId, token) {
      const c = ws(base, sessionId, token);
      await c.next((m) => m.type === 'welcome');
      return c;
    },
  };
}
