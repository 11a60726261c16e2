import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Config } from '../../../config.js';
import { backupKeyFromConfig, backupSettings } from '../backup-db.js';
import { formatBytes } from '@rstream/protocol/light';
import { parseBackupName, BACKUP_KINDS, type BackupKind } from '../backup-files.js';
import { backupAndPrune, s3ForBackups } from '../backup-job.js';
import { createBackupRunsRepo } from '../backup-runs.js';
import { pruneLocal, pruneS3 } from '../retention.js';
import { describeSchedule, scheduleEnabled } from '../scheduler.js';
import { hasRunsTable, parse, UsageError, withDb } from './args.js';

export async function backupCommand(args: string[], config: Config): Promise<number> {
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
