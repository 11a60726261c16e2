import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../../config.js';
import { createS3Target } from '../../../platform/s3.js';
import { backupKeyFromConfig, backupSettings } from '../backup-db.js';
import { runDrill } from '../drill.js';
import { runSync } from '../sync.js';
import { latestLocal, parse, UsageError, withDb } from './args.js';

export async function syncCommand(args: string[], config: Config): Promise<number> {
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

export async function drillCommand(args: string[], config: Config): Promise<number> {
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
