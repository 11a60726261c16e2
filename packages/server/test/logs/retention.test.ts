import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLogsCli } from '../../src/ops/logs/logs-cli.js';
import { isExpired } from '../../src/ops/logs/log-files.js';
import { pruneLogs } from '../../src/ops/logs/retention.js';
import { capture, dayBefore, logConfig, NOW, tempLogDir, writeLog } from './log-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('log retention', () => {
  it('keeps every file inside its stream window and deletes the ones outside it', async () => {
    const dir = tempLogDir();
    dirs.push(dir);
    const kept: string[] = [];
    const gone: string[] = [];
    // Defaults: access 90, error 180, security 365, performance 30, app 30 days.
    for (const [stream, days] of [
      ['access', 90],
      ['error', 180],
      ['security', 365],
      ['performance', 30],
      ['app', 30],
    ] as const) {
      kept.push(writeLog(dir, stream, dayBefore(0), [{ msg: 'today' }]));
      kept.push(writeLog(dir, stream, dayBefore(days), [{ msg: 'last day inside the window' }]));
      gone.push(writeLog(dir, stream, dayBefore(days + 1), [{ msg: 'first day outside' }]));
      gone.push(writeLog(dir, stream, dayBefore(days + 400), [{ msg: 'long gone' }]));
    }
    // archives obey the same rule
    const archived = (day: string) => {
      const p = path.join(dir, 'archive', 'access', `access-${day}.log.gz.enc`);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, 'x');
      return p;
    };
    kept.push(archived(dayBefore(89)));
    gone.push(archived(dayBefore(91)));
    // files that are not ours are never touched
    const stranger = path.join(dir, 'access', 'notes.txt');
    writeFileSync(stranger, 'keep me');
    kept.push(stranger);

    const config = logConfig(dir);
    const dry = await capture(() => runLogsCli(['prune', '--dry-run'], config, NOW));
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`would delete ${gone.length} file(s)`);
    for (const f of [...kept, ...gone]) expect(existsSync(f), f).toBe(true);

    const r = await pruneLogs(config, { now: NOW });
    expect(r.status).toBe('ok');
    expect(r.line).toMatch(/^logs prune: ok, deleted 11 file\(s\), kept 11$/);
    expect(r.deleted.sort()).toEqual([...gone].sort());
    for (const f of kept) expect(existsSync(f), f).toBe(true);
    for (const f of gone) expect(existsSync(f), f).toBe(false);
  });

  it('follows the configured retention and the injected clock', async () => {
    const dir = tempLogDir();
    dirs.push(dir);
    const file = writeLog(dir, 'access', '2026-06-01', [{ msg: 'x' }]);
    const config = logConfig(dir, { LOG_RETENTION_ACCESS_DAYS: '10' });
    // The day's last line is 10 days old at 2026-06-12T00:00Z: until then it stays.
    await pruneLogs(config, { now: Date.parse('2026-06-11T23:59:59.999Z') });
    expect(existsSync(file)).toBe(true);
    await pruneLogs(config, { now: Date.parse('2026-06-12T00:00:00.000Z') });
    expect(existsSync(file)).toBe(false);
    expect(isExpired('2026-06-01', 10, Date.parse('2026-06-11T12:00:00Z'))).toBe(false);
  });

  it('says clearly when there is nothing to prune and rejects bad arguments', async () => {
    const noDir = await pruneLogs(logConfig('/tmp', { LOG_DIR: '' }));
    expect(noDir).toMatchObject({ status: 'skipped' });
    const dir = tempLogDir();
    dirs.push(dir);
    const bad = await capture(() => runLogsCli(['prune', '--everything'], logConfig(dir), NOW));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Unknown option '--everything'/);
    const unknown = await capture(() => runLogsCli(['shred'], logConfig(dir), NOW));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown logs command "shred"');
  });
});
