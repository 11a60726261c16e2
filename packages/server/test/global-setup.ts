import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDb } from '../src/platform/db.js';

/** The machine's PostgreSQL (trust auth). Tests get a database of their own per run. */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgAdminUrl: string;
    redisUrl: string;
    runId: string;
    /** An embedded database folder with every migration applied; startTestApp('pglite') copies it. */
    pgliteTemplate: string;
  }
}

/**
 * Creating a PGlite cluster (initdb) and migrating it takes seconds, 30 s and more on a loaded
 * machine: it is done once per run, and each embedded-database test server starts from a copy.
 * Shared by the server and browser projects of one run (their global setups share the process).
 */
interface TemplateState {
  dir: Promise<string>;
  users: number;
}
const TEMPLATE_KEY = Symbol.for('rstream.test.pgliteTemplate');
type WithTemplate = typeof globalThis & { [TEMPLATE_KEY]?: TemplateState };

async function buildPgliteTemplate(): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rstream-pglite-template-'));
  const db = await openDb({ DATABASE_URL: undefined, DATA_DIR: dataDir, DB_POOL_MAX: 1 });
  try {
    await migrateToLatest(db.kysely);
  } finally {
    await db.close();
  }
  return path.join(dataDir, 'pglite');
}

async function acquirePgliteTemplate(): Promise<{ dir: string; release(): void }> {
  const g = globalThis as WithTemplate;
  const state = (g[TEMPLATE_KEY] ??= { dir: buildPgliteTemplate(), users: 0 });
  state.users += 1;
  const dir = await state.dir;
  return {
    dir,
    release() {
      state.users -= 1;
      if (state.users > 0) return;
      delete g[TEMPLATE_KEY];
      rmSync(path.dirname(dir), { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const dbName = `rstream_test_${runId}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${dbName}`;
  project.provide('pgUrl', url.toString());
  project.provide('pgAdminUrl', PG_ADMIN_URL);
  project.provide('redisUrl', TEST_REDIS_URL);
  project.provide('runId', runId);
  const template = await acquirePgliteTemplate();
  project.provide('pgliteTemplate', template.dir);

  return async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    // Scratch databases that tests made in this run.
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`rstream_scratch_${runId}%`],
    );
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await c.end();
    template.release();
  };
}
