import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { LOG_STREAMS, type LogStreamName } from '../../platform/log-file.js';
import { archiveLines, type Keyring } from './archive-file.js';
import { DAY_MS, listLogFiles, type LogFile } from './log-files.js';

/** Reading log lines back: live files and archives alike, filtered by day, time, level, request id, text. */

export const LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

export interface SearchQuery {
  streams?: LogStreamName[];
  /** inclusive bounds (ms) */
  from?: number;
  to?: number;
  /** minimum level */
  level?: keyof typeof LEVELS;
  requestId?: string;
  /** case-insensitive substring of the raw line */
  text?: string;
}

export interface SearchResult {
  files: number;
  matched: number;
  /** archives that could not be read (wrong key, tampered): the search goes on without them */
  unreadable: string[];
}

const levelOf = (v: unknown): number => (typeof v === 'number' ? v : (LEVELS[String(v)] ?? 0));

/** Yields every line of a live file or (verified) archive. */
export async function* fileLines(file: LogFile, keyring: Keyring): AsyncGenerator<string> {
  if (file.kind === 'archive') {
    yield* archiveLines(file.path, keyring);
    return;
  }
  const rl = createInterface({ input: createReadStream(file.path), crlfDelay: Infinity });
  for await (const line of rl) if (line) yield line;
}

/** Files whose day can hold lines between from and to. */
export function filesInRange(
  logDir: string,
  streams: readonly LogStreamName[],
  from?: number,
  to?: number,
): LogFile[] {
  return listLogFiles(logDir, streams).filter((f) => {
    const start = Date.parse(`${f.day}T00:00:00.000Z`);
    return (from === undefined || start + DAY_MS > from) && (to === undefined || start <= to);
  });
}

export function matches(line: string, q: SearchQuery, textLower?: string): boolean {
  if (textLower && !line.toLowerCase().includes(textLower)) return false;
  if (q.from === undefined && q.to === undefined && !q.level && !q.requestId) return true;
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (q.requestId && obj.reqId !== q.requestId && obj.sampleReqId !== q.requestId) return false;
  if (q.level && levelOf(obj.level) < LEVELS[q.level]!) return false;
  if (q.from !== undefined || q.to !== undefined) {
    const t = Date.parse(String(obj.time));
    if (!Number.isFinite(t)) return false;
    if (q.from !== undefined && t < q.from) return false;
    if (q.to !== undefined && t > q.to) return false;
  }
  return true;
}

export async function searchLogs(
  logDir: string,
  q: SearchQuery,
  keyring: Keyring,
  out: (line: string) => void,
): Promise<SearchResult> {
  const files = filesInRange(logDir, q.streams ?? LOG_STREAMS, q.from, q.to);
  const textLower = q.text?.toLowerCase();
  const result: SearchResult = { files: files.length, matched: 0, unreadable: [] };
  for (const f of files) {
    try {
      for await (const line of fileLines(f, keyring)) {
        if (matches(line, q, textLower)) {
          result.matched++;
          out(line);
        }
      }
    } catch (err) {
      result.unreadable.push((err as Error).message);
    }
  }
  return result;
}
