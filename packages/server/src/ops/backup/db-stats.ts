import type { TableStats } from './backup-files.js';

/** Runs one SQL statement and returns its rows: over a pg client, PGlite, or a Kysely transaction. */
export type Exec = (sqlText: string) => Promise<Record<string, unknown>[]>;

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Settings that make a row's text form the same on every server and session, so a checksum
 * taken on the source matches one taken on a restored copy. Needs an open transaction (SET LOCAL).
 */
const STABLE_TEXT = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 1',
  "SET LOCAL bytea_output = 'hex'",
];

export async function listTables(exec: Exec): Promise<string[]> {
  const rows = await exec(
    `SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  return rows.map((r) => String(r.name));
}

/**
 * Row count and content checksum of every table in `public`: md5 over the rows' md5s in a fixed
 * order, so it does not depend on physical order, collation or primary keys.
 */
export async function tableStats(exec: Exec): Promise<TableStats> {
  for (const s of STABLE_TEXT) await exec(s);
  const out: TableStats = {};
  for (const table of await listTables(exec)) {
    const [row] = await exec(
      `SELECT count(*)::text AS rows, md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS checksum
       FROM public.${quoteIdent(table)} t`,
    );
    out[table] = { rows: Number(row!.rows), checksum: String(row!.checksum) };
  }
  return out;
}

export async function migrationLevel(exec: Exec): Promise<{ latest: string | null; applied: number }> {
  const [exists] = await exec(`SELECT to_regclass('public.kysely_migration')::text AS t`);
  if (!exists?.t) return { latest: null, applied: 0 };
  const [row] = await exec(
    `SELECT max(name) AS latest, count(*)::int AS applied FROM public.kysely_migration`,
  );
  return { latest: (row?.latest as string | null) ?? null, applied: Number(row?.applied ?? 0) };
}

export async function serverVersion(exec: Exec): Promise<string> {
  const [row] = await exec('SHOW server_version');
  return String(row?.server_version ?? 'unknown');
}

/** Tables (other than migration bookkeeping) that hold at least one row. */
export async function nonEmptyTables(exec: Exec): Promise<string[]> {
  const out: string[] = [];
  for (const t of await listTables(exec)) {
    if (t.startsWith('kysely_migration')) continue;
    const [row] = await exec(`SELECT EXISTS (SELECT 1 FROM public.${quoteIdent(t)}) AS has`);
    if (row?.has === true || row?.has === 't') out.push(t);
  }
  return out;
}

export interface StatsDiff {
  table: string;
  expected: { rows: number; checksum: string } | null;
  actual: { rows: number; checksum: string } | null;
}

/** Tables whose count or checksum differ; tables only in `actual` are ignored when `allowExtra`. */
export function diffStats(
  expected: TableStats,
  actual: TableStats,
  opts: { checksums: boolean; allowExtra: boolean },
): StatsDiff[] {
  const out: StatsDiff[] = [];
  for (const [table, e] of Object.entries(expected)) {
    const a = actual[table];
    if (!a || a.rows !== e.rows || (opts.checksums && a.checksum !== e.checksum))
      out.push({ table, expected: e, actual: a ?? null });
  }
  if (!opts.allowExtra) {
    for (const [table, a] of Object.entries(actual))
      if (!expected[table]) out.push({ table, expected: null, actual: a });
  }
  return out;
}

export function describeDiff(d: StatsDiff[]): string {
  return d
    .map((x) =>
      !x.actual
        ? `${x.table}: missing after restore`
        : !x.expected
          ? `${x.table}: not in the backup`
          : x.actual.rows !== x.expected.rows
            ? `${x.table}: ${x.actual.rows} rows, expected ${x.expected.rows}`
            : `${x.table}: content checksum differs`,
    )
    .join('; ');
}
