import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../scale/processes.js';
import { waitFor } from '../helpers.js';

/**
 * PostgreSQL and Redis that a fault test owns: started on a free port, stopped (or killed) by
 * PID — never the machine's shared ones.
 */
const PG_BIN = '/usr/lib/postgresql/15/bin';
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? { cmd: 'runuser', args: ['-u', 'postgres', '--', cmd, ...args] } : { cmd, args };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export interface PrivatePostgres {
  url: string;
  port: number;
  start(): Promise<void>;
  /** Immediate shutdown (SIGQUIT to the postmaster): connections drop, new ones are refused. */
  stop(): Promise<void>;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(path.join(tmpdir(), 'rstream-pg-'));
  chmodSync(root, 0o777);
  const data = path.join(root, 'data');
  const port = await freePort();
  const init = asPostgres(`${PG_BIN}/initdb`, [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(init.cmd, init.args, { stdio: 'ignore' });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | null = null;
  const pidOf = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const self: PrivatePostgres = {
    url,
    port,
    async start() {
      const run = asPostgres(`${PG_BIN}/postgres`, [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        root,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
      ]);
      child = spawn(run.cmd, run.args, { stdio: 'ignore' });
      await waitFor(
        'private PostgreSQL',
        async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.end();
          return true;
        },
        20_000,
      );
    },
    async stop() {
      if (!existsSync(path.join(data, 'postmaster.pid'))) return;
      const pid = pidOf();
      process.kill(pid, 'SIGQUIT');
      await waitFor('PostgreSQL to stop', async () => !alive(pid), 20_000);
      child = null;
    },
    async query(sql, params) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows;
      } finally {
        await c.end();
      }
    },
    async destroy() {
      await self.stop().catch(() => {});
      child?.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}

export interface PrivateRedis {
  url: string;
  port: number;
  pid: () => number | undefined;
  start(): Promise<void>;
  /** SIGKILL: the clients see the connection drop and every command fail. */
  kill(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  const self: PrivateRedis = {
    url,
    port,
    pid: () => child?.pid,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      await waitFor(
        'private Redis',
        async () => {
          const { Redis } = await import('ioredis');
          const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
          r.on('error', () => {}); // refused until it listens: waitFor retries
          try {
            await r.connect();
            return (await r.ping()) === 'PONG';
          } finally {
            r.disconnect();
          }
        },
        20_000,
      );
    },
    async kill() {
      const c = child;
      if (!c?.pid || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      process.kill(c.pid, 'SIGKILL');
      await exited;
      child = null;
    },
  };
  await self.start();
  return self;
}
