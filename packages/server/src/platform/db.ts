import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type LogEvent, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { migrations } from '../../migrations/index.js';
import type { Config } from '../config.js';
import type { Database } from './db-schema.js';

export type DbKind = 'postgres' | 'pglite';

export interface Db {
  kysely: Kysely<Database>;
  kind: DbKind;
  /** node-postgres pool (postgres only) — for pool metrics. */
  pool?: pg.Pool;
  /** PGlite instance (embedded only) — for dumps. */
  pglite?: import('@electric-sql/pglite').PGlite;
  close(): Promise<void>;
  /** Called after every query (and failed query): metrics and logs add their listener here. */
  queryListeners: Set<(event: LogEvent) => void>;
}

/** Kysely's `log` option, fanned out to whoever listens; a failing listener never fails a query. */
function queryLog(listeners: Set<(event: LogEvent) => void>) {
  return (event: LogEvent) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        // metrics/logging must not break the database path
      }
    }
  };
}

// bigint (int8) and numeric come back as strings from node-postgres; counts are normalised in repos.
export async function openDb(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DB_POOL_MAX'>): Promise<Db> {
  if (config.DATABASE_URL) {
    const pool = new pg.Pool({
      connectionString: config.DATABASE_URL,
      max: config.DB_POOL_MAX,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client that errors (server restart) must not crash the process.
    pool.on('error', () => {});
    // Nor one that is checked out when the server goes away: its query fails with the error,
    // but pg also emits 'error' on the client, which has no listener while checked out.
    pool.on('connect', (client) => client.on('error', () => {}));
    const queryListeners = new Set<(event: LogEvent) => void>();
    const kysely = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: queryLog(queryListeners),
    });
    return { kysely, kind: 'postgres', pool, queryListeners, close: () => kysely.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  const dir = path.join(config.DATA_DIR, 'pglite');
  mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  const queryListeners = new Set<(event: LogEvent) => void>();
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log: queryLog(queryListeners) });
  return {
    kysely,
    kind: 'pglite',
    pglite,
    queryListeners,
    close: async () => {
      await kysely.destroy().catch(() => {});
      if (!pglite.closed) await pglite.close();
    },
  };
}

export function createMigrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

export async function pingDb(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
