import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import type { LogStreamName } from '../../src/platform/log-file.js';

export const DAY = 86_400_000;
/** The tests' "now": mid-day, so day arithmetic has no edge to trip on. */
export const NOW = Date.parse('2026-06-15T12:00:00.000Z');
export const dayBefore = (days: number, now = NOW) => new Date(now - days * DAY).toISOString().slice(0, 10);

export const newKey = () => randomBytes(32).toString('base64');

export function tempLogDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'rstream-logs-'));
}

export function logConfig(logDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: logDir,
    LOG_DIR: logDir,
    LOG_LEVEL: 'silent',
    LOG_ARCHIVE_UPLOAD: 'false',
    ...env,
  });
}

/** Writes a live log file for a day; each line gets the day's noon as its time unless it has one. */
export function writeLog(
  logDir: string,
  stream: LogStreamName,
  day: string,
  lines: Record<string, unknown>[],
): string {
  const dir = path.join(logDir, stream);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${stream}-${day}.log`);
  const body = lines
    .map((l) => JSON.stringify({ level: 'info', time: `${day}T12:00:00.000Z`, stream, ...l }))
    .join('\n');
  writeFileSync(file, `${body}\n`);
  return file;
}

/** All lines of a stream's files (live), parsed. */
export function readStream(logDir: string, stream: LogStreamName): Record<string, unknown>[] {
  const dir = path.join(logDir, stream);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .flatMap((n) => readFileSync(path.join(dir, n), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Captures stdout and stderr writes (console.* included) while fn runs. */
export async function capture(
  fn: () => Promise<number>,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((c: string | Uint8Array, ...rest: unknown[]) => {
      out += typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err += typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
    return true;
  });
  const l = vi
    .spyOn(console, 'log')
    .mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  const ce = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  try {
    const code = await fn();
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
    ce.mockRestore();
  }
}
