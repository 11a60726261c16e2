import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import client, { type Registry } from 'prom-client';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db.js';
import type { BackupKind } from './backup-files.js';
import { backupAndPrune, type JobContext } from './backup-job.js';
import { createBackupRunsRepo } from './backup-runs.js';
import { withLease, type Locks } from '../../platform/locks.js';

export interface Slot {
  at: Date;
  kind: Extract<BackupKind, 'hourly' | 'daily'>;
  /** Unique per schedule slot across instances. */
  slot: string;
}

/** The next slot strictly after `now`: minute `minute` of every UTC hour; the `dailyHour` one is the daily. */
export function nextSlot(now: Date, minute: number, dailyHour: number): Slot {
  const at = new Date(now);
  at.setUTCMinutes(minute, 0, 0);
  if (at <= now) at.setUTCHours(at.getUTCHours() + 1);
  const daily = at.getUTCHours() === dailyHour;
  const iso = at.toISOString();
  return { at, kind: daily ? 'daily' : 'hourly', slot: daily ? iso.slice(0, 10) : iso.slice(0, 13) };
}

export const scheduleEnabled = (config: Pick<Config, 'BACKUP_SCHEDULE' | 'NODE_ENV'>) =>
  config.BACKUP_SCHEDULE === 'on' || (config.BACKUP_SCHEDULE === 'auto' && config.NODE_ENV === 'production');

export function describeSchedule(
  config: Pick<Config, 'BACKUP_HOURLY_MINUTE' | 'BACKUP_DAILY_HOUR_UTC'>,
): string {
  const mm = String(config.BACKUP_HOURLY_MINUTE).padStart(2, '0');
  return `hourly at :${mm}, daily at ${String(config.BACKUP_DAILY_HOUR_UTC).padStart(2, '0')}:${mm} UTC`;
}

/** The file that tells `rstream backup|restore|drill` the server has the embedded database open. */
export const serverPidFile = (dataDir: string) => path.join(dataDir, 'rstream-server.pid');

/** The pid of a live server holding the embedded database, if any (not this process). */
export function embeddedDbHolder(dataDir: string): number | null {
  const file = serverPidFile(dataDir);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

const LOCK_KEY = 'backup-db';
const LOCK_TTL_MS = 60_000;

export { withLease };

export interface BackupScheduler {
  readonly enabled: boolean;
  /** Runs one slot now (what the timer calls); tests call it directly. */
  runSlot(kind: BackupKind, slot: string | null): Promise<{ status: string; line: string }>;
  stop(): Promise<void>;
}

function registerMetrics(registry: Registry, db: Db) {
  const runs = createBackupRunsRepo(db.kysely);
  let cached: { at: number; value: Promise<Awaited<ReturnType<typeof runs.lastSuccess>>> } | null = null;
  // Read from backup_runs, so every instance reports the newest backup whichever instance made it.
  const last = () => {
    // One query serves the three gauges of a scrape.
    if (!cached || Date.now() - cached.at > 250)
      cached = { at: Date.now(), value: runs.lastSuccess().catch(() => null) };
    return cached.value;
  };
  const gauge = (
    name: string,
    help: string,
    pick: (r: NonNullable<Awaited<ReturnType<typeof last>>>) => number,
  ) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const r = await last();
        this.set(r ? pick(r) : 0);
      },
    });
  gauge(
    'rstream_backup_last_success_timestamp_seconds',
    'When the newest successful database backup finished (0 = never)',
    (r) => Math.floor((r.finishedAt ?? r.startedAt).getTime() / 1000),
  );
  gauge(
    'rstream_backup_last_size_bytes',
    'Size of the newest successful database backup',
    (r) => r.sizeBytes ?? 0,
  );
  gauge(
    'rstream_backup_last_duration_seconds',
    'How long the newest successful database backup took',
    (r) => (r.durationMs ?? 0) / 1000,
  );
  return new client.Counter({
    name: 'rstream_backup_runs_total',
    help: 'Scheduled backup runs by this instance, by kind and status',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
  });
}

/**
 * Hourly and daily backups from the server. One instance does each slot: a Redis lock while it
 * runs and a unique (kind, slot) row in backup_runs. Off unless BACKUP_SCHEDULE=on (auto = on
 * in production).
 */
export function startBackupScheduler(deps: {
  config: Config;
  db: Db;
  locks: Locks;
  instanceId: string;
  metrics: { registry: Registry };
  log: Logger;
}): BackupScheduler {
  const { config, db, locks, log } = deps;
  const counter = registerMetrics(deps.metrics.registry, db);
  const enabled = scheduleEnabled(config);
  const ctx: JobContext = { config, db, instance: deps.instanceId };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pidFile = db.kind === 'pglite' ? serverPidFile(config.DATA_DIR) : null;
  if (pidFile) {
    try {
      writeFileSync(pidFile, String(process.pid));
    } catch {
      // DATA_DIR not writable: the database would have failed first.
    }
  }

  const runSlot: BackupScheduler['runSlot'] = async (kind, slot) => {
    const r = await withLease(locks, LOCK_KEY, deps.instanceId, LOCK_TTL_MS, () =>
      backupAndPrune(ctx, kind, slot),
    );
    if (!r)
      return {
        status: 'skipped',
        line: `backup db: skipped ${kind} ${slot}: another instance holds the lock`,
      };
    counter.inc({ kind, status: r.status });
    if (r.status === 'failed') log.error({ job: 'backup', kind, slot }, r.line);
    else log.info({ job: 'backup', kind, slot }, r.line);
    return r;
  };

  const arm = () => {
    if (stopped) return;
    const next = nextSlot(new Date(), config.BACKUP_HOURLY_MINUTE, config.BACKUP_DAILY_HOUR_UTC);
    timer = setTimeout(
      () => {
        running = runSlot(next.kind, next.slot).catch((e) =>
          log.error({ job: 'backup', err: e }, `backup db: FAILED ${(e as Error).message}`),
        );
        void running.finally(arm);
      },
      Math.max(0, next.at.getTime() - Date.now()),
    );
    timer.unref();
  };
  if (enabled) arm();

  return {
    enabled,
    runSlot,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => {});
      if (pidFile && existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(process.pid))
        rmSync(pidFile, { force: true });
    },
  };
}
