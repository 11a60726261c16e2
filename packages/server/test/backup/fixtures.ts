import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import S3rver from 's3rver';
import type { Db } from '../../src/platform/db.js';
import { createS3Target, type S3Target } from '../../src/platform/s3.js';
import { tableStats } from '../../src/ops/backup/db-stats.js';
import type { TableStats } from '../../src/ops/backup/backup-files.js';

const made: string[] = [];
/** A temp folder removed by cleanupTmp() (call it in afterAll). */
export const tmp = (label: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), `rstream-bk-${label}-`));
  made.push(dir);
  return dir;
};
export function cleanupTmp(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface TestS3 {
  target: S3Target;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** s3rver on a free port with a temp folder, and a bucket. */
export async function startS3(bucket = 'rstream-backups'): Promise<TestS3> {
  const port = await freePort();
  const server = new S3rver({ address: '127.0.0.1', port, directory: tmp('s3rver'), silent: true });
  await server.run();
  const env = {
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_REGION: 'us-east-1',
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  };
  const target = createS3Target({
    S3_ENDPOINT: env.S3_ENDPOINT,
    S3_REGION: 'us-east-1',
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: true,
  });
  await target.client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    target,
    env,
    async close() {
      target.client.destroy();
      await server.close();
    },
  };
}

/** Speakers, sessions, listeners, signals and per-second aggregates in the app's own tables. */
export async function populate(
  db: Db,
  opts: { sessions?: number; listeners?: number; signals?: number } = {},
) {
  const k = db.kysely;
  const userId = randomUUID();
  await k
    .insertInto('users')
    .values({
      id: userId,
      email: `${userId}@example.test`,
      username: 'Zoë "quotes" \n newline',
      password_hash: 'x',
    })
    .execute();
  for (let s = 0; s < (opts.sessions ?? 2); s++) {
    const sessionId = randomUUID();
    await k
      .insertInto('sessions')
      .values({
        id: sessionId,
        code: `C${randomUUID().slice(0, 7)}`,
        host_id: userId,
        title: `Talk ${s} — 日本語`,
        mode: 'presentation',
        status: 'ended',
        settings: JSON.stringify({ anonymous: false, nested: { a: [1, 2.5] } }),
        created_at: new Date(Date.UTC(2026, 10, 1, 10, s)),
        started_at: new Date(Date.UTC(2026, 10, 1, 10, s, 1, 123)),
      })
      .execute();
    const participants = Array.from({ length: opts.listeners ?? 5 }, (_, i) => ({
      id: randomUUID(),
      session_id: sessionId,
      token_hash: randomUUID(),
      display_name: `Listener ${i}`,
      ordinal: i + 1,
      level: (i % 5) + 1,
      joined_at: new Date(),
    }));
    await k.insertInto('participants').values(participants).execute();
    const n = opts.signals ?? 500;
    const signals = Array.from({ length: n }, (_, i) => ({
      session_id: sessionId,
      participant_id: participants[i % participants.length]!.id,
      t_ms: i * 250,
      level: (i % 5) + 1,
    }));
    for (let i = 0; i < signals.length; i += 1000)
      await k
        .insertInto('signals')
        .values(signals.slice(i, i + 1000))
        .execute();
    const seconds = Array.from({ length: Math.ceil(n / 4) }, (_, t) => ({
      session_id: sessionId,
      t_sec: t,
      avg: 1 + (t % 40) / 10,
      n: 5,
      c1: 1,
      c2: 1,
      c3: 1,
      c4: 1,
      c5: 1,
    }));
    await k.insertInto('understanding_seconds').values(seconds).execute();
  }
}

/** Row counts and checksums of a PostgreSQL database, read independently of the code under test's connection. */
export async function pgStats(url: string): Promise<TableStats> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('BEGIN');
    return await tableStats(async (q) => (await c.query(q)).rows as Record<string, unknown>[]);
  } finally {
    await c.end();
  }
}

export const totalRows = (s: TableStats) => Object.values(s).reduce((n, t) => n + t.rows, 0);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `node scripts/run-cli.mjs …` from a folder outside the repository, with only the given settings. */
export function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/run-cli.mjs'), ...args], {
      cwd: tmp('cli'),
      env: {
        PATH: process.env.PATH!,
        HOME: process.env.HOME ?? '/tmp',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
        DATA_DIR: tmp('cli-data'),
        ...env,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out, err }));
  });
}
