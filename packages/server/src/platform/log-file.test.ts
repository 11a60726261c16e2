import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDailyFile, liveLogPath } from './log-file.js';
import { createLogStreams } from './logger.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('daily log files', () => {
  it('starts a new file at UTC midnight, by the injected clock', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rstream-logfile-'));
    dirs.push(dir);
    let now = Date.parse('2026-03-01T23:59:59.900Z');
    const f = createDailyFile(dir, 'access', () => now);
    f.write('a\n');
    now += 50;
    f.write('b\n');
    now = Date.parse('2026-03-02T00:00:00.000Z');
    f.write('c\n');
    f.close();
    expect(readdirSync(path.join(dir, 'access')).sort()).toEqual([
      'access-2026-03-01.log',
      'access-2026-03-02.log',
    ]);
    expect(readFileSync(liveLogPath(dir, 'access', '2026-03-01'), 'utf8')).toBe('a\nb\n');
    expect(readFileSync(liveLogPath(dir, 'access', '2026-03-02'), 'utf8')).toBe('c\n');
  });

  it('stamps lines with the clock and keeps each stream in its own folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rstream-logfile-'));
    dirs.push(dir);
    const now = Date.parse('2026-03-05T10:00:00.000Z');
    const logs = createLogStreams({ LOG_LEVEL: 'silent', LOG_DIR: dir }, { clock: () => now });
    logs.performance.warn({ kind: 'slow_query', durationMs: 900 }, 'slow query');
    logs.app.info('hello');
    logs.close();
    const perf = JSON.parse(readFileSync(liveLogPath(dir, 'performance', '2026-03-05'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(perf).toMatchObject({
      level: 'warn',
      time: '2026-03-05T10:00:00.000Z',
      stream: 'performance',
      kind: 'slow_query',
    });
    expect(readdirSync(dir).sort()).toEqual(['app', 'performance']);
  });

  it('writes tick overruns (at most one line per 10 s, with the count) and slow queries to the performance stream', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rstream-logfile-'));
    dirs.push(dir);
    let now = Date.parse('2026-03-05T10:00:00.000Z');
    const logs = createLogStreams(
      { LOG_LEVEL: 'silent', LOG_DIR: dir, LOG_TICK_OVERRUN_MS: 100, LOG_SLOW_QUERY_MS: 50 },
      { clock: () => now },
    );
    logs.tick(20, 3); // fine
    logs.tick(150, 0); // overrun: logged
    for (let i = 0; i < 5; i++) {
      now += 1000;
      logs.tick(10, 400); // late ticks: counted, not logged yet
    }
    now += 10_000;
    logs.tick(120, 0); // logged with the count since the last line
    const query = (ms: number) =>
      logs.onQuery({
        level: 'query',
        queryDurationMillis: ms,
        query: { sql: 'select * from users where email = $1', parameters: ['a@b.c'] },
      } as never);
    query(10);
    query(75);
    logs.close();
    const lines = readFileSync(liveLogPath(dir, 'performance', '2026-03-05'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.kind, l.overruns ?? null])).toEqual([
      ['tick_overrun', 1],
      ['tick_overrun', 6],
      ['slow_query', null],
    ]);
    expect(lines[2]).toMatchObject({
      durationMs: 75,
      thresholdMs: 50,
      sql: 'select * from users where email = $1',
    });
    expect(JSON.stringify(lines)).not.toContain('a@b.c');
  });

  it('a failing disk never throws into the caller', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rstream-logfile-'));
    dirs.push(dir);
    const f = createDailyFile(path.join(dir, 'file-not-dir', 'x'), 'app');
    rmSync(dir, { recursive: true });
    // a file where the folder should be: the folder cannot be created; write reports on stderr and returns
    writeFileSync(dir, 'not a folder');
    expect(() => f.write('x\n')).not.toThrow();
    expect(f.currentPath()).toContain('file-not-dir');
    rmSync(dir, { force: true });
  });
});
