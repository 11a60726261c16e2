import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/** The log streams R-Stream keeps apart; each has its own file and retention. */
export const LOG_STREAMS = ['app', 'access', 'error', 'performance', 'security'] as const;
export type LogStreamName = (typeof LOG_STREAMS)[number];

export type Clock = () => number;

const DAY_MS = 86_400_000;

/** UTC calendar day of a timestamp: "YYYY-MM-DD". */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** `LOG_DIR/<stream>/<stream>-YYYY-MM-DD.log` */
export const liveLogPath = (logDir: string, stream: LogStreamName, day: string): string =>
  path.join(logDir, stream, `${stream}-${day}.log`);

export interface DailyFile {
  /** What pino (or multistream) writes serialised lines to. */
  write(line: string): void;
  /** The file being written now (for tests and the operator). */
  currentPath(): string | null;
  close(): void;
}

/**
 * An append-only destination that starts a new file at each UTC midnight. Writes are synchronous
 * so a line is on disk when the call returns (logs are small; a crash loses nothing written).
 * A failing disk never fails the request that logged: the first error goes to stderr once.
 */
export function createDailyFile(logDir: string, stream: LogStreamName, clock: Clock = Date.now): DailyFile {
  let fd = -1;
  let file: string | null = null;
  let switchAt = 0;
  let reported = false;

  const open = (now: number) => {
    if (fd >= 0) closeSync(fd);
    fd = -1;
    file = liveLogPath(logDir, stream, utcDay(now));
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o750 });
    fd = openSync(file, 'a', 0o640);
    switchAt = startOfUtcDay(now) + DAY_MS;
  };

  return {
    write(line: string) {
      try {
        const now = clock();
        if (fd < 0 || now >= switchAt) open(now);
        writeSync(fd, line);
      } catch (err) {
        if (!reported) {
          reported = true;
          process.stderr.write(
            `rstream: cannot write the ${stream} log in ${logDir}: ${(err as Error).message}\n`,
          );
        }
      }
    },
    currentPath: () => file,
    close() {
      if (fd >= 0) closeSync(fd);
      fd = -1;
    },
  };
}
