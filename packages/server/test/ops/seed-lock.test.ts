import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { copyPgliteTemplate, waitFor } from '../helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const env = (dataDir: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  REDIS_URL: '',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  ...extra,
});

/** `npm run seed` next to a running server that holds the embedded database's DATA_DIR. */
describe('seed and a running server', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rstream-seed-lock-'));
  let server: ChildProcess | null = null;
  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to write into a DATA_DIR a live server holds, naming its URL; works once it stopped', async () => {
    copyPgliteTemplate(dataDir);
    server = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
      cwd: root,
      env: env(dataDir, { PORT: '0' }),
      stdio: 'ignore',
    });
    const mark = path.join(dataDir, 'server.json');
    await waitFor('the server to mark its DATA_DIR', () => existsSync(mark), 60_000);
    const held = JSON.parse(readFileSync(mark, 'utf8')) as { pid: number; url: string };
    expect(held.pid).toBe(server.pid);
    expect(held.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(held.url).not.toMatch(/:0$/);

    const refused = spawnSync(process.execPath, ['scripts/run-cli.mjs', 'seed'], {
      cwd: root,
      env: env(dataDir),
      encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`pid ${server.pid}`);
    expect(refused.stderr).toContain(held.url);
    expect(refused.stdout).not.toMatch(/password/i);

    server.kill('SIGTERM');
    await waitFor(
      'the server to stop',
      () => server!.exitCode !== null || server!.signalCode !== null,
      60_000,
    );
    await waitFor('the mark to be removed', () => !existsSync(mark), 60_000);
    const seeded = spawnSync(process.execPath, ['scripts/run-cli.mjs', 'seed'], {
      cwd: root,
      env: env(dataDir),
      encoding: 'utf8',
    });
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toMatch(/demo@rstream\.local/);
  }, 120_000);
});
