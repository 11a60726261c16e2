import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Config } from '../../../config.js';
import { migrateToLatest, openDb } from '../../../platform/db.js';
import { createS3Target, s3Configured, type S3Target } from '../../../platform/s3.js';
import { backupKeyFromConfig, backupSettings } from '../backup-db.js';
import { sidecars, type Manifest } from '../backup-files.js';
import { createBackupRunsRepo } from '../backup-runs.js';
import { runRestore, type RestoreTarget } from '../restore-db.js';
import { assertEmbeddedDbFree, latestLocal, parse, UsageError } from './args.js';

async function migrateTarget(config: Config, target: RestoreTarget, manifest: Manifest): Promise<string[]> {
  const db = await openDb(
    target.kind === 'postgres'
      ? { ...config, DATABASE_URL: target.url }
      : { ...config, DATABASE_URL: undefined, DATA_DIR: path.dirname(target.dir) },
  );
  try {
    const applied = ((await migrateToLatest(db.kysely)).results ?? [])
      .filter((r) => r.status === 'Success')
      .map((r) => r.migrationName);
    await createBackupRunsRepo(db.kysely).settleRestored(manifest);
    return applied;
  } finally {
    await db.close();
  }
}

/** `s3://bucket/key` or a key under BACKUP_S3_PREFIX: downloads the backup and its sidecars. */
async function fetchFromS3(config: Config, ref: string, dir: string): Promise<string> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(ref);
  const base = createS3Target(config);
  const t: S3Target = m ? { ...base, bucket: m[1]!, url: (k) => `s3://${m[1]}/${k}` } : base;
  const key = m ? m[2]! : ref;
  const local = path.join(dir, path.posix.basename(key));
  for (const [k, f] of [[key, local], ...sidecars(key).map((s, i) => [s, sidecars(local)[i]!])] as [
    string,
    string,
  ][]) {
    const r = await t.client.send(new GetObjectCommand({ Bucket: t.bucket, Key: k })).catch((e: Error) => {
      throw new Error(
        `cannot download ${t.url(k)}: ${e.name === 'NoSuchKey' ? 'no such object' : e.message}`,
      );
    });
    await pipeline(r.Body as Readable, createWriteStream(f));
  }
  return local;
}

export async function restoreCommand(args: string[], config: Config): Promise<number> {
  const usage = 'rstream restore db <file | latest | s3://bucket/key | key> [--force] [--no-migrate]';
  const [sub, ...rest] = args;
  if (sub !== 'db') throw new UsageError(`usage: ${usage}`);
  const { values, positionals } = parse(
    rest,
    { force: { type: 'boolean' }, 'no-migrate': { type: 'boolean' } },
    1,
    usage,
  );
  const ref = positionals[0];
  if (!ref) throw new UsageError(`which backup? give a file, "latest" or an S3 key\nusage: ${usage}`);
  assertEmbeddedDbFree(config, 'stop it before restoring');
  const key = backupKeyFromConfig(config);
  let work: string | null = null;
  try {
    let file: string;
    if (ref === 'latest') file = await latestLocal(backupSettings(config).dir);
    else if (existsSync(ref)) file = path.resolve(ref);
    else if (ref.startsWith('s3://') || (s3Configured(config) && ref.includes('/'))) {
      work = await mkdtemp(path.join(tmpdir(), 'rstream-s3-restore-'));
      file = await fetchFromS3(config, ref, work);
    } else throw new Error(`no such backup file: ${ref}`);
    const target: RestoreTarget = config.DATABASE_URL
      ? { kind: 'postgres', url: config.DATABASE_URL }
      : { kind: 'pglite', dir: path.join(config.DATA_DIR, 'pglite') };
    const r = await runRestore({
      file,
      target,
      key,
      force: Boolean(values.force),
      migrate: values['no-migrate'] ? undefined : (t, m) => migrateTarget(config, t, m),
    });
    (r.status === 'success' ? console.log : console.error)(r.line);
    return r.status === 'success' ? 0 : 1;
  } finally {
    if (work) await rm(work, { recursive: true, force: true });
  }
}
