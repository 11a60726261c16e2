import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db.js';
import { backupKeyFromConfig, runBackup } from './backup-db.js';
import { readManifest, type Manifest } from './backup-files.js';
import { createBackupRunsRepo } from './backup-runs.js';
import { sourceOf } from './backup-job.js';
import { diffStats, describeDiff, tableStats, type Exec } from './db-stats.js';
import { runRestore, type RestoreTarget } from './restore-db.js';
import { describeSchedule, scheduleEnabled } from './scheduler.js';

export interface DrillOptions {
  config: Config;
  db: Db;
  /** Drill this backup instead of making a new one. */
  file?: string;
}

export interface DrillResult {
  status: 'success' | 'failed';
  lines: string[];
  backupMs: number;
  restoreMs: number;
  rpoText: string;
}

const RTO_TARGET_MS = 4 * 3_600_000;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function scratchTarget(
  config: Config,
  db: Db,
): Promise<{ target: RestoreTarget; drop(): Promise<void> }> {
  if (db.kind === 'pglite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'rstream-drill-'));
    return {
      target: { kind: 'pglite', dir: path.join(dir, 'pglite') },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const name = `rstream_drill_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: config.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(config.DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: config.DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function statsOf(target: RestoreTarget) {
  if (target.kind === 'postgres') {
    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    try {
      await c.query('BEGIN READ ONLY');
      const exec: Exec = async (q) => (await c.query(q)).rows as Record<string, unknown>[];
      return await tableStats(exec);
    } finally {
      await c.end();
    }
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(target.dir);
  try {
    return await db.transaction(async (tx) =>
      tableStats(async (q) => (await tx.query<Record<string, unknown>>(q)).rows),
    );
  } finally {
    await db.close();
  }
}

/**
 * Backup → restore into a scratch database → compare every table's row count and content
 * checksum with the manifest (taken from the same snapshot as the dump) → report RTO and RPO.
 */
export async function runDrill(o: DrillOptions): Promise<DrillResult> {
  const lines: string[] = [];
  const key = backupKeyFromConfig(o.config);
  const runs = createBackupRunsRepo(o.db.kysely);
  let workDir: string | null = null;
  let backupMs = 0;
  let restoreMs = 0;
  let file = o.file;
  const scheduled = scheduleEnabled(o.config);
  const rpoText = scheduled
    ? `RPO ≤ 1 h by schedule (${describeSchedule(o.config)}; target 1 h)`
    : 'RPO: no schedule on this instance (BACKUP_SCHEDULE) — the RPO is the age of the newest backup';
  const fail = (why: string): DrillResult => {
    lines.push(`drill: FAILED ${why}`);
    return { status: 'failed', lines, backupMs, restoreMs, rpoText };
  };
  let scratch: Awaited<ReturnType<typeof scratchTarget>> | null = null;
  try {
    if (!file) {
      workDir = await mkdtemp(path.join(tmpdir(), 'rstream-drill-backup-'));
      const b = await runBackup({ source: sourceOf(o.config, o.db), dir: workDir, kind: 'drill', key, runs });
      backupMs = b.durationMs;
      lines.push(b.line);
      if (b.status !== 'success') return fail('the backup did not complete');
      file = b.path!;
    }
    const manifest: Manifest = await readManifest(file);
    scratch = await scratchTarget(o.config, o.db);
    const where =
      scratch.target.kind === 'postgres' ? new URL(scratch.target.url).pathname.slice(1) : scratch.target.dir;
    lines.push(`drill: restoring ${path.basename(file)} into scratch ${scratch.target.kind} ${where}`);
    const r = await runRestore({ file, target: scratch.target, key, force: false });
    restoreMs = r.durationMs;
    lines.push(r.line);
    if (r.status !== 'success') return fail('the restore did not complete');
    const actual = await statsOf(scratch.target);
    const diff = diffStats(manifest.tables, actual, { checksums: true, allowExtra: false });
    const width = Math.max(...Object.keys(manifest.tables).map((t) => t.length), 5);
    lines.push(`  ${'table'.padEnd(width)}  ${'rows'.padStart(8)}  checksum (md5)                    match`);
    for (const [t, e] of Object.entries(manifest.tables)) {
      const a = actual[t];
      const ok = a && a.rows === e.rows && a.checksum === e.checksum;
      lines.push(
        `  ${t.padEnd(width)}  ${String(a?.rows ?? '-').padStart(8)}  ${a?.checksum ?? '-'.padEnd(32)}  ${ok ? 'yes' : 'NO'}`,
      );
    }
    const last = await runs.lastSuccess().catch(() => null);
    const age = last?.finishedAt
      ? `newest scheduled/manual backup ${((Date.now() - last.finishedAt.getTime()) / 60_000).toFixed(0)} min old`
      : 'no scheduled/manual backup recorded yet';
    lines.push(
      `drill: RTO measured ${secs(restoreMs)} to restore ${manifest.database.kind} (${Object.keys(manifest.tables).length} tables, ` +
        `${Object.values(manifest.tables).reduce((n, t) => n + t.rows, 0)} rows; target 4 h${restoreMs > RTO_TARGET_MS ? ' — MISSED' : ''})` +
        `${backupMs ? ` · backup took ${secs(backupMs)}` : ''}`,
      `drill: ${rpoText}; ${age}`,
    );
    if (diff.length) return fail(`restored data differs: ${describeDiff(diff)}`);
    lines.push(`drill: ok — every table's row count and checksum match the backup`);
    return { status: 'success', lines, backupMs, restoreMs, rpoText };
  } catch (e) {
    return fail((e as Error).message);
  } finally {
    if (scratch) await scratch.drop().catch(() => {});
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}
