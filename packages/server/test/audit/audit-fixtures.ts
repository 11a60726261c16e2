import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createBackupRunsRepo } from '../../src/ops/backup/backup-runs.js';
import { createS3Target, listAllObjects } from '../../src/platform/s3.js';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { AuditReport } from '@rstream/protocol';
import { createScratchDatabase, speaker, startTestApp, type DbBackend, type TestApp } from '../helpers.js';
import { freePort, tmp, type TestS3 } from '../backup/fixtures.js';

export const quiet = { logger: pino({ level: 'silent' }) };

/** The hardened settings of docs/security.md ("Hardened setup"), with keys outside DATA_DIR. */
export function hardenedEnv(s3: TestS3): Record<string, string> {
  const keys = tmp('keys');
  chmodSync(keys, 0o700);
  const key = (name: string) => {
    const file = path.join(keys, name);
    writeFileSync(file, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    return file;
  };
  const logDir = tmp('logs');
  chmodSync(logDir, 0o700);
  return {
    ...s3.env,
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://rstream.example.test',
    TRUST_PROXY: 'true',
    METRICS_TOKEN: 'm'.repeat(40),
    ALERTMANAGER_WEBHOOK_TOKEN: 'a'.repeat(40),
    CORS_ORIGINS: '',
    LOG_LEVEL: 'warn',
    LOG_DIR: logDir,
    LOG_ARCHIVE_KEY_FILE: key('log-archive.key'),
    BACKUP_ENCRYPTION_KEY_FILE: key('backup.key'),
    S3_SSE: 'AES256',
  };
}

/** What the backup job and the drill record (backup_runs), as if both ran an hour ago. */
export async function recordGoodBackupAndDrill(t: TestApp): Promise<void> {
  const runs = createBackupRunsRepo(t.app.db.kysely);
  const at = new Date(Date.now() - 3_600_000);
  for (const kind of ['hourly', 'drill'] as const) {
    const id = await runs.start(kind, null, t.app.instanceId, at);
    await runs.finish(id!, { status: 'success', finishedAt: at, durationMs: 1000, encrypted: true });
  }
}

/** chmod -R go-rwx, what `umask 077` for the service user gives. */
export function tighten(dir: string): void {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) return;
  chmodSync(dir, st.mode & 0o700);
  if (st.isDirectory()) for (const e of readdirSync(dir)) tighten(path.join(dir, e));
}

export async function adminAndSpeaker(t: TestApp) {
  const admin = await speaker(t.url, 'Admin');
  await t.app.db.kysely.updateTable('users').set({ role: 'admin' }).where('id', '=', admin.userId).execute();
  return admin;
}

export async function putS3(s3: TestS3, key: string, body = 'x'): Promise<void> {
  await s3.target.client.send(new PutObjectCommand({ Bucket: s3.target.bucket, Key: key, Body: body }));
}

/** Every file under STORAGE_DIR, as keys. */
export function listLocal(root: string, dir = root): string[] {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) return [];
  if (!st.isDirectory()) return [path.relative(root, dir)];
  return readdirSync(dir).flatMap((e) => listLocal(root, path.join(dir, e)));
}
export const listS3 = async (s3: TestS3) => (await listAllObjects(s3.target, '')).map((o) => o.Key!);

export const byId = (r: AuditReport, id: string) => r.findings.find((f) => f.id === id);

/** An app on its own database: the audit judges every user and row, so none of other tests' may be there. */
export async function start(backend: DbBackend, env: Record<string, string>) {
  const own: Record<string, string> =
    backend === 'postgres' ? { DATABASE_URL: await createScratchDatabase('audit') } : {};
  return startTestApp(backend, { ...env, ...own }, quiet);
}

export interface RestartableS3 extends TestS3 {
  /** s3rver again on the same port and folder (the objects stored before are still there) */
  restart(): Promise<RestartableS3>;
}

/** s3rver that a fault test can stop and start again. */
export async function startRestartableS3(bucket: string): Promise<RestartableS3> {
  const port = await freePort();
  const directory = tmp('s3rver');
  const env = {
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_REGION: 'us-east-1',
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  };
  const boot = async (create: boolean): Promise<RestartableS3> => {
    const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true });
    await server.run();
    const target = createS3Target({ ...env, S3_FORCE_PATH_STYLE: true });
    if (create) await target.client.send(new CreateBucketCommand({ Bucket: bucket }));
    let closed = false;
    return {
      target,
      env,
      async close() {
        if (closed) return;
        closed = true;
        target.client.destroy();
        await server.close();
      },
      restart: () => boot(false),
    };
  };
  return boot(true);
}
