import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { withTimeout } from './readers.js';

export interface RecentSlowQuery {
  sql: string;
  ms: number;
  at: number;
}

/** The last slow queries this instance saw (SQL text only: parameters are never kept). */
export function createSlowQueryLog(max = 50) {
  const items: RecentSlowQuery[] = [];
  return {
    add(q: RecentSlowQuery) {
      items.push({ ...q, sql: q.sql.slice(0, 2000) });
      if (items.length > max) items.shift();
    },
    list: () => [...items].reverse(),
  };
}

export interface StatementStat {
  query: string;
  calls: number;
  meanMs: number;
  totalMs: number;
  maxMs: number;
  rows: number;
}

/** Top statements by mean time from pg_stat_statements, when the extension is installed. */
export async function readStatementStats(
  db: Db,
  limit = 20,
): Promise<{ available: boolean; reason?: string; queries: StatementStat[] }> {
  if (db.kind !== 'postgres')
    return { available: false, reason: 'embedded database (PGlite) has no pg_stat_statements', queries: [] };
  try {
    const ext = await withTimeout(
      sql<{ ok: number }>`select 1 as ok from pg_extension where extname = 'pg_stat_statements'`.execute(
        db.kysely,
      ),
      1500,
      'pg_extension',
    );
    if (ext.rows.length === 0) {
      return {
        available: false,
        reason: 'pg_stat_statements is not installed (shared_preload_libraries + CREATE EXTENSION)',
        queries: [],
      };
    }
    const r = await withTimeout(
      sql<{ query: string; calls: string; mean: number; total: number; max: number; rows: string }>`
        select s.query, s.calls, s.mean_exec_time as mean, s.total_exec_time as total, s.max_exec_time as max, s.rows
        from pg_stat_statements s join pg_database d on d.oid = s.dbid
        where d.datname = current_database()
        order by s.mean_exec_time desc limit ${limit}`.execute(db.kysely),
      3000,
      'pg_stat_statements',
    );
    return {
      available: true,
      queries: r.rows.map((x) => ({
        query: x.query,
        calls: Number(x.calls),
        meanMs: Number(x.mean),
        totalMs: Number(x.total),
        maxMs: Number(x.max),
        rows: Number(x.rows),
      })),
    };
  } catch (e) {
    return { available: false, reason: (e as Error).message, queries: [] };
  }
}
