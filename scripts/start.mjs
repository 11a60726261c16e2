// `npm start`: builds whatever is missing or out of date, then runs the server in production mode.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => path.join(root, p);

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}
const builtAt = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

const targets = [
  {
    name: 'server',
    out: rel('packages/server/dist/main.js'),
    sources: ['packages/server/src', 'packages/server/migrations', 'packages/protocol/src'],
    ws: '@rstream/server',
  },
  {
    name: 'web app',
    out: rel('apps/web/dist/index.html'),
    sources: ['apps/web/src', 'apps/web/index.html', 'packages/protocol/src'],
    ws: '@rstream/web',
  },
];
for (const t of targets) {
  const newest = Math.max(
    ...t.sources.map((s) =>
      statSync(rel(s), { throwIfNoEntry: false })?.isDirectory() ? newestMtime(rel(s)) : builtAt(rel(s)),
    ),
  );
  if (builtAt(t.out) >= newest) continue;
  console.log(`Building the ${t.name}…`);
  const r = spawnSync('npm', ['run', 'build', '-w', t.ws], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' };
const child = spawnSync(process.execPath, ['--enable-source-maps', rel('packages/server/dist/main.js')], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(child.status ?? 1);
