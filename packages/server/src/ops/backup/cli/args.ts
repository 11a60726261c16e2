import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { sql } from 'kysely';
import type { Config } from '../../../config.js';
import { openDb, type Db } from '../../../platform/db.js';
import { parseBackupName } from '../backup-files.js';
import { embeddedDbHolder } from '../scheduler.js';

/** What every backup CLI command shares: argument parsing, the database, the newest backup. */

/** Bad arguments: message + usage, exit 2. */
export class UsageError extends Error {}

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

export function parse(
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

/** Refuses to work on the embedded database while a server holds it open. */
export function assertEmbeddedDbFree(config: Config, what = 'stop it first'): void {
  if (config.DATABASE_URL) return;
  const pid = embeddedDbHolder(config.DATA_DIR);
  if (pid)
    throw new Error(`the server (pid ${pid}) has the embedded database in ${config.DATA_DIR} open: ${what}`);
}

export async function withDb<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  assertEmbeddedDbFree(config);
  const db = await openDb(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export const hasRunsTable = async (db: Db) =>
  Boolean(
    (await sql<{ t: string | null }>`select to_regclass('public.backup_runs')::text as t`.execute(db.kysely))
      .rows[0]?.t,
  );

/** The newest local backup (not a drill) that has its manifest. */
export async function latestLocal(dir: string): Promise<string> {
  const names = existsSync(dir) ? await readdir(dir) : [];
  const newest = names
    .map(parseBackupName)
    .filter((b) => b !== null && b.kind !== 'drill' && names.includes(`${b.name}.manifest.json`))
    .sort((a, b) => b!.time.getTime() - a!.time.getTime())[0];
  if (!newest) throw new Error(`no backups in ${dir}`);
  return path.join(dir, newest.name);
}
