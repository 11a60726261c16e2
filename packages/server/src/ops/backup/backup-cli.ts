import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import type { CliCommand } from '../../cli.js';
import type { Config } from '../../config.js';
import { migrateToLatest, openDb, type Db } from '../../platform/db.js';
import { createS3Target, s3Configured, type S3Target } from '../../platform/s3.js';
import { BackupKeyError } from './backup-crypto.js';
import { backupKeyFromConfig, backupSettings } from './backup-db.js';
import {
  formatBytes,
  parseBackupName,
  sidecars,
  BACKUP_KINDS,
  type BackupKind,
  type Manifest,
} from './backup-files.js';
import { backupAndPrune, s3ForBackups } from './backup-job.js';
import { createBackupRunsRepo } from './backup-runs.js';
import { runDrill } from './drill.js';
import { runRestore, type RestoreTarget } from './restore-db.js';
import { pruneLocal, pruneS3 } from './retention.js';
import { describeSchedule, embeddedDbHolder, scheduleEnabled } from './scheduler.js';
import { runSync } from './sync.js';

/** Bad arguments: message + usage, exit 2. */
class UsageError extends Error {}

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

function parse(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  positionals: number,
  usage: string,
): Parsed {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (r.positionals.length > positionals)
      throw new Error(`unexpected argument "${r.positionals[positionals]}"`);
    return r as Parsed;
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]!.split('. To specify')[0]}\nusage: ${usage}`);
  }
}

async function withDb<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  if (!config.DATABASE_URL) {
    const pid = embeddedDbHolder(config.DATA_DIR);
    if (pid)
      throw new Error(
        `the server (pid ${pid}) has the embedded database in ${config.DATA_DIR} open: stop it first`,
      );
  }
  const db = await openDb(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const hasRunsTable = async (db: Db) =>
  Boolean(
    (await sql<{ t: string | null }>`select to_regclass('public.backup_runs')::text as t`.execute(db.kysely))
      .rows[0]?.t,
  );

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

async function latestLocal(dir: string): Promise<string> {
  const names = existsSync(dir) ? await readdir(dir) : [];
  const newest = names
    .map(parseBackupName)
    .filter((b) => b !== null && b.kind !== 'drill' && names.includes(`${b.name}.manifest.json`))
    .sort((a, b) => b!.time.getTime() - a!.time.getTime())[0];
  if (!newest) throw new Error(`no backups in ${dir}`);
  return path.join(dir, newest.name);
}

async function backupCommand(args: string[], config: Config): Promise<number> {
  const [sub, ...rest] = args;
  const usage =
    'rstream backup db [--kind manual|hourly|daily] | status [--json] [--max-age-hours N] | prune [--dry-run]';
  if (sub === 'db') {
    const { values } = parse(
      rest,
      { kind: { type: 'string', default: 'manual' } },
      0,
      'rstream backup db [--kind manual|hourly|daily]',
    );
    const kind = values.kind as string;
    if (!(BACKUP_KINDS as readonly string[]).includes(kind) || kind === 'drill')
      throw new UsageError(`--kind must be manual, hourly or daily\nusage: ${usage}`);
    backupKeyFromConfig(config); // a bad key fails before any work
    return withDb(config, async (db) => {
      const r = await backupAndPrune(
        { config, db, record: await hasRunsTable(db) },
        kind as BackupKind,
        null,
      );
      (r.status === 'success' ? console.log : console.error)(r.line);
      return r.status === 'success' ? 0 : 1;
    });
  }
  if (sub === 'status') {
    const { values } = parse(
      rest,
      { json: { type: 'boolean' }, 'max-age-hours': { type: 'string' } },
      0,
      'rstream backup status [--json] [--max-age-hours N]',
    );
    const maxAge = values['max-age-hours'] === undefined ? null : Number(values['max-age-hours']);
    if (maxAge !== null && !(maxAge > 0)) throw new UsageError('--max-age-hours must be a positive number');
    return withDb(config, async (db) => {
      const runs = (await hasRunsTable(db)) ? createBackupRunsRepo(db.kysely) : null;
      const recent = runs ? await runs.recent(10) : [];
      const last = runs ? await runs.lastSuccess() : null;
      const s = backupSettings(config);
      const files = existsSync(s.dir) ? (await readdir(s.dir)).filter((n) => parseBackupName(n)) : [];
      const ageH = last?.finishedAt ? (Date.now() - last.finishedAt.getTime()) / 3_600_000 : null;
      const stale = maxAge !== null && (ageH === null || ageH > maxAge);
      if (values.json) {
        console.log(
          JSON.stringify(
            {
              lastSuccess: last,
              ageHours: ageH,
              stale,
              schedule: scheduleEnabled(config),
              dir: s.dir,
              files,
              recent,
            },
            null,
            2,
          ),
        );
      } else {
        console.log(
          `backups in ${s.dir}: ${files.length} · schedule ${scheduleEnabled(config) ? `on (${describeSchedule(config)})` : 'off on this instance'} · keep hourly ${s.keepHourlyHours} h, daily ${s.keepDailyDays} d`,
        );
        console.log(
          last
            ? `newest successful backup: ${last.file} (${formatBytes(last.sizeBytes ?? 0)}, ${((last.durationMs ?? 0) / 1000).toFixed(1)} s) ${ageH! < 1 ? `${Math.round(ageH! * 60)} min` : `${ageH!.toFixed(1)} h`} ago at ${last.location}`
            : 'newest successful backup: none recorded',
        );
        for (const r of recent) {
          console.log(
            `  ${r.startedAt.toISOString()}  ${r.kind.padEnd(7)} ${r.status.padEnd(8)} ${r.durationMs === null ? '' : `${(r.durationMs / 1000).toFixed(1)} s`.padStart(8)} ${r.sizeBytes === null ? '' : formatBytes(r.sizeBytes).padStart(8)}  ${r.file ?? ''}${r.error ? ` — ${r.error}` : ''}`,
          );
        }
      }
      if (stale)
        console.error(
          `backup status: STALE — newest backup is ${ageH === null ? 'missing' : `${ageH.toFixed(1)} h old`} (limit ${maxAge} h)`,
        );
      return stale ? 1 : 0;
    });
  }
  if (sub === 'prune') {
    const { values } = parse(rest, { 'dry-run': { type: 'boolean' } }, 0, 'rstream backup prune [--dry-run]');
    const s = backupSettings(config);
    const rules = { keepHourlyHours: s.keepHourlyHours, keepDailyDays: s.keepDailyDays };
    const dry = Boolean(values['dry-run']);
    const local = await pruneLocal(s.dir, new Date(), rules, dry);
    const s3 = s3ForBackups(config);
    const remote = s3 ? await pruneS3(s3, s.s3Prefix, new Date(), rules, dry) : null;
    for (const f of [...local.deleted, ...(remote?.deleted ?? [])])
      console.log(`  ${dry ? 'would delete' : 'deleted'} ${f}`);
    console.log(
      `backup prune: ${dry ? 'dry run, ' : 'ok '}${local.deleted.length + (remote?.deleted.length ?? 0)} file(s) ${dry ? 'to delete' : 'deleted'}, ${local.kept} backup(s) kept in ${s.dir}${s3 ? ` and ${s3.url(s.s3Prefix)}` : ''}`,
    );
    return 0;
  }
  throw new UsageError(sub ? `unknown subcommand "${sub}"\nusage: ${usage}` : `usage: ${usage}`);
}

async function restoreCommand(args: string[], config: Config): Promise<number> {
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
  if (!config.DATABASE_URL) {
    const pid = embeddedDbHolder(config.DATA_DIR);
    if (pid)
      throw new Error(
        `the server (pid ${pid}) has the embedded database in ${config.DATA_DIR} open: stop it before restoring`,
      );
  }
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

async function syncCommand(args: string[], config: Config): Promise<number> {
  const usage = 'rstream sync archives|recordings [--dry-run] [--delete]';
  const { values, positionals } = parse(
    args,
    { 'dry-run': { type: 'boolean' }, delete: { type: 'boolean' } },
    1,
    usage,
  );
  const what = positionals[0];
  if (what !== 'archives' && what !== 'recordings')
    throw new UsageError(`sync what? archives or recordings\nusage: ${usage}`);
  const target = createS3Target(config);
  const localDir = path.resolve(what === 'archives' ? config.ARCHIVES_DIR : config.RECORDINGS_DIR);
  const dry = Boolean(values['dry-run']);
  const r = await runSync({
    target,
    localDir,
    prefix: `${what}/`,
    label: what,
    dryRun: dry,
    delete: Boolean(values.delete),
    stateFile: path.join(config.DATA_DIR, 'sync-state', `${what}.json`),
    onLine: (l) => console.log(`  ${l}`),
  });
  (r.status === 'success' ? console.log : console.error)(r.line);
  return r.status === 'success' ? 0 : 1;
}

async function drillCommand(args: string[], config: Config): Promise<number> {
  const usage = 'rstream drill [--file <backup> | --file latest]';
  const { values } = parse(args, { file: { type: 'string' } }, 0, usage);
  backupKeyFromConfig(config);
  const file =
    values.file === 'latest'
      ? await latestLocal(backupSettings(config).dir)
      : values.file
        ? path.resolve(String(values.file))
        : undefined;
  if (file && !existsSync(file)) throw new Error(`no such backup file: ${file}`);
  return withDb(config, async (db) => {
    const r = await runDrill({ config, db, file });
    for (const l of r.lines) (r.status === 'success' ? console.log : console.error)(l);
    return r.status === 'success' ? 0 : 1;
  });
}

/** Wraps a command: usage errors exit 2, key/config problems and failures exit 1 with one message. */
const guarded =
  (name: string, fn: (args: string[], config: Config) => Promise<number>): CliCommand['run'] =>
  async (args, config) => {
    try {
      return await fn(args, config);
    } catch (e) {
      if (e instanceof UsageError) {
        console.error(`rstream ${name}: ${e.message}`);
        return 2;
      }
      console.error(`rstream ${name}: ${e instanceof BackupKeyError ? e.message : (e as Error).message}`);
      return 1;
    }
  };

export const backupCommands: Record<string, CliCommand> = {
  backup: {
    summary: 'database backups: backup db | backup status | backup prune',
    run: guarded('backup', backupCommand),
  },
  restore: {
    summary: 'restore db <file | latest | s3 key> [--force]: verify, restore, migrate, check',
    run: guarded('restore', restoreCommand),
  },
  sync: {
    summary: 'sync archives|recordings to S3 [--dry-run] [--delete] (like aws s3 sync)',
    run: guarded('sync', syncCommand),
  },
  drill: {
    summary: 'restore drill: backup → scratch restore → compare every table → RTO/RPO',
    run: guarded('drill', drillCommand),
  },
};
