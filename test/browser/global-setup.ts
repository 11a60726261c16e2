import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import serverSetup from '../../packages/server/test/global-setup.js';
import { CHROMIUM_PATH } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Browser tests need the built web app, Chromium, and this run's database. */
export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run .ci/run (it installs Debian's chromium) or set CHROMIUM_PATH.`,
    );
  }
  if (!existsSync(path.join(root, 'apps/web/dist/index.html')) || process.env.REBUILD_WEB === '1') {
    const r = spawnSync('npm', ['run', 'build', '-w', '@rstream/web'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the web app failed');
  }
  return serverSetup(project);
}
