import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';

function runScript(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'scripts/security-audit.sh'), args, {
      env: { ...process.env, ...env },
      cwd: REPO_ROOT,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** scripts/security-audit.sh end to end: a weak embedded setup exits 2 and writes JSON + Markdown. */
describe('scripts/security-audit.sh', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstream-audit-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 on critical findings and writes the report files (mode 0600)', async () => {
    const out = path.join(dir, 'reports');
    const r = await runScript(['--out', out, '--skip', 'system.os-updates,system.npm-audit'], {
      DATA_DIR: path.join(dir, 'data'),
      DATABASE_URL: '',
      REDIS_URL: '',
      HOST: '0.0.0.0',
      NODE_ENV: 'test',
    });
    expect(r.code, r.out.slice(-2000)).toBe(2);
    expect(r.out).toContain('**Result: exit 2**');
    expect(r.out).toContain('`api.metrics-token`');
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'))!;
    expect(files.some((f) => f.endsWith('.md'))).toBe(true);
    const report = JSON.parse(readFileSync(path.join(out, json), 'utf8')) as { exitCode: number };
    expect(report.exitCode).toBe(2);
    for (const f of files) expect(statSync(path.join(out, f)).mode & 0o077).toBe(0);
  }, 240_000);

  it('answers a bad subcommand with a usage message and exit 2', async () => {
    const r = await runScript(['frobnicate'], {
      DATA_DIR: path.join(dir, 'data2'),
      DATABASE_URL: '',
      REDIS_URL: '',
    });
    expect(r.code).toBe(2);
    expect(r.out).toContain('unknown subcommand');
  }, 60_000);
});
