import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { LOG_STREAMS, startOfUtcDay, type LogStreamName } from '../../platform/log-file.js';

/**
 * The files under LOG_DIR and what their names say: live files
 * `<stream>/<stream>-YYYY-MM-DD.log`, archives `archive/<stream>/<stream>-YYYY-MM-DD.log.gz.enc`.
 * Retention and archiving decide by the date in the name, never by mtime (copies and restores
 * change mtimes; names do not lie about which day a file holds).
 */

export const DAY_MS = 86_400_000;
export const ARCHIVE_SUFFIX = '.log.gz.enc';
export const TMP_SUFFIX = '.tmp';

export interface LogFile {
  stream: LogStreamName;
  /** YYYY-MM-DD, UTC */
  day: string;
  path: string;
  kind: 'live' | 'archive';
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export const isLogStream = (s: string): s is LogStreamName => (LOG_STREAMS as readonly string[]).includes(s);

export function dayStartMs(day: string): number {
  if (!DAY_RE.test(day)) throw new Error(`not a day: ${day}`);
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== day)
    throw new Error(`not a day: ${day}`);
  return ms;
}

/** Parses `<stream>-YYYY-MM-DD<suffix>`; null for anything else. */
export function parseLogName(
  name: string,
): { stream: LogStreamName; day: string; kind: 'live' | 'archive' } | null {
  const m = /^([a-z]+)-(\d{4}-\d{2}-\d{2})(\.log|\.log\.gz\.enc)$/.exec(name);
  if (!m || !isLogStream(m[1]!)) return null;
  try {
    dayStartMs(m[2]!);
  } catch {
    return null;
  }
  return { stream: m[1] as LogStreamName, day: m[2]!, kind: m[3] === '.log' ? 'live' : 'archive' };
}

export const archiveDir = (logDir: string, stream: LogStreamName) => path.join(logDir, 'archive', stream);
export const archivePathFor = (logDir: string, stream: LogStreamName, day: string) =>
  path.join(archiveDir(logDir, stream), `${stream}-${day}${ARCHIVE_SUFFIX}`);

function listDir(dir: string, kind: 'live' | 'archive', stream: LogStreamName): LogFile[] {
  if (!existsSync(dir)) return [];
  const out: LogFile[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseLogName(name);
    if (parsed && parsed.kind === kind && parsed.stream === stream)
      out.push({ stream, day: parsed.day, kind, path: path.join(dir, name) });
  }
  return out;
}

/** Live files and archives of the given streams, oldest day first. */
export function listLogFiles(logDir: string, streams: readonly LogStreamName[] = LOG_STREAMS): LogFile[] {
  const out: LogFile[] = [];
  for (const s of streams)
    out.push(...listDir(path.join(logDir, s), 'live', s), ...listDir(archiveDir(logDir, s), 'archive', s));
  return out.sort(
    (a, b) => a.day.localeCompare(b.day) || a.stream.localeCompare(b.stream) || a.kind.localeCompare(b.kind),
  );
}

export type RetentionDays = Record<LogStreamName, number>;

export const retentionDays = (c: Config): RetentionDays => ({
  access: c.LOG_RETENTION_ACCESS_DAYS,
  error: c.LOG_RETENTION_ERROR_DAYS,
  security: c.LOG_RETENTION_SECURITY_DAYS,
  performance: c.LOG_RETENTION_PERFORMANCE_DAYS,
  app: c.LOG_RETENTION_APP_DAYS,
});

/**
 * A day's file may go once even its last line is older than the retention: the end of that day
 * lies more than `days` days before now. Anything younger is inside the window and stays.
 */
export function isExpired(day: string, days: number, now: number): boolean {
  return dayStartMs(day) + DAY_MS + days * DAY_MS <= now;
}

/** Whole UTC days between the file's day and today (0 = today's file, still being written). */
export function ageInDays(day: string, now: number): number {
  return Math.round((startOfUtcDay(now) - dayStartMs(day)) / DAY_MS);
}
