// Runs `rstream <command>` from source (tsx), so migrate/seed work before any build.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// tsx is resolved from the repository, so the CLI works from any folder (cron, systemd).
const r = spawnSync(
  process.execPath,
  [
    '--import',
    import.meta.resolve('tsx'),
    path.join(root, 'packages/server/src/cli.ts'),
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    cwd: process.cwd(),
  },
);
process.exit(r.status ?? 1);
