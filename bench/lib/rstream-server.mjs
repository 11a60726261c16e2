// Builds (when stale) and starts the real R-Stream server on embedded defaults, and talks to its API.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup, processTree, stopChild, track, treeRssMb } from './proc.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WORKTREE_MAIN = path.join(ROOT, 'packages/server/dist/main.js');
const PRELOAD = path.join(ROOT, 'bench/lib/server-preload.mjs');

function newestMtime(p) {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(p, e.name)));
  }
  return newest;
}

/** Same rule as scripts/start.mjs: rebuild the server when dist/main.js is older than its sources. */
export function ensureServerBuilt() {
  const sources = ['packages/server/src', 'packages/server/migrations', 'packages/protocol/src'];
  const newest = Math.max(...sources.map((s) => newestMtime(path.join(ROOT, s))));
  const built = existsSync(WORKTREE_MAIN) ? statSync(WORKTREE_MAIN).mtimeMs : 0;
  if (built >= newest) return false;
  console.log('Building the server (packages/server/dist is missing or stale)…');
  const r = spawnSync('npm', ['run', 'build', '-w', '@rstream/server'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('server build failed');
  return true;
}

/**
 * Starts `node packages/server/dist/main.js` in a fresh temp DATA_DIR (PGlite, in-process bus),
 * bound to 127.0.0.1. The preload (bench/lib/server-preload.mjs) ends the server if this process dies
 * without cleaning up, and runs a GC on request before RSS samples.
 */
export async function startRstreamServer(
  port,
  {
    main = WORKTREE_MAIN,
    profileDir = null,
    startTimeoutMs = 60_000,
    databaseUrl = '',
    redisUrl = '',
    workers = 1,
    jwtSecret = '',
  } = {},
) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rstream-bench-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  const unregister = onCleanup(removeDir);
  const memoryFile = path.join(dataDir, 'bench-memory.json');
  const env = {
    BENCH_MEMORY_FILE: memoryFile,
    BENCH_TEMP_DATA_DIR: dataDir,
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    WORKERS: String(workers),
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_JOIN_PER_MIN: '1000000',
    RATE_LIMIT_AUTH_PER_MIN: '1000000',
    // Loopback is exempt from the per-IP connection cap by default; this keeps it so if .env says otherwise.
    WS_MAX_CONNECTIONS_PER_IP: '1000000',
  };
  const child = track(
    spawn(
      process.execPath,
      [
        ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
        '--expose-gc',
        '--import',
        PRELOAD,
        main,
      ],
      {
        cwd: dataDir,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    ),
  );
  let log = '';
  const keep = (d) => {
    log = (log + d.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up:\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: globalThis.AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the server did not answer /api/health within ${startTimeoutMs / 1000} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    log: () => log,
    /** The server's processes: the primary and, with WORKERS > 1, its node:cluster workers. */
    pids: () => processTree(child.pid),
    /**
     * A full GC in every server process, then their memory (MB) summed: {rss, heap: heapUsed +
     * external, processes}.
     */
    async settledMemory() {
      const pids = processTree(child.pid);
      for (const pid of pids) {
        rmSync(`${memoryFile}.${pid}`, { force: true });
        try {
          process.kill(pid, 'SIGUSR2');
        } catch {
          /* gone */
        }
      }
      const seen = new Map();
      for (let i = 0; i < 200 && seen.size < pids.length; i++) {
        await new Promise((r) => setTimeout(r, 50));
        for (const pid of pids) {
          if (seen.has(pid)) continue;
          try {
            seen.set(pid, JSON.parse(readFileSync(`${memoryFile}.${pid}`, 'utf8')));
          } catch {
            /* not written yet */
          }
        }
      }
      const heap =
        seen.size === pids.length
          ? [...seen.values()].reduce((a, m) => a + m.heapUsed + m.external, 0) / 2 ** 20
          : null;
      return { rss: treeRssMb(pids), heap, processes: pids.length };
    },
    async stop() {
      await stopChild(child, 10_000);
      removeDir();
      unregister();
    },
  };
}

async function call(url, method, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname} → ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Registers a speaker, logs in, creates a presentation session everyone sees the graph of, and starts it. */
export async function setUpLiveSession(url) {
  const email = `bench-${Date.now()}@example.com`;
  const password = 'bench-password-123';
  await call(`${url}/api/auth/register`, 'POST', { email, password, username: 'Bench speaker' });
  const { accessToken } = await call(`${url}/api/auth/login`, 'POST', { email, password });
  const session = await call(
    `${url}/api/sessions`,
    'POST',
    { title: 'Benchmark', mode: 'presentation', settings: { graphVisibility: 'all' } },
    accessToken,
  );
  await call(`${url}/api/sessions/${session.id}`, 'PUT', { status: 'live' }, accessToken);
  return { accessToken, sessionId: session.id, code: session.code };
}

const pickMetric = (text, name) => {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
};

/** The server's own counters from one /metrics answer (messages in, tick duration and lag sums). */
function parseMetrics(text) {
  return {
    instanceId: /^rstream_instance_info\{[^}]*instance_id="([^"]+)"/m.exec(text)?.[1] ?? null,
    messagesIn: pickMetric(text, 'rstream_ws_messages_in_total'),
    tickSum: pickMetric(text, 'rstream_tick_duration_seconds_sum'),
    tickCount: pickMetric(text, 'rstream_tick_duration_seconds_count'),
    // Ticks that took ≤ 250 ms (the tick interval): count − this = overruns.
    tickWithin250: pickMetric(text, 'rstream_tick_duration_seconds_bucket\\{le="0.25"[^}]*\\}'),
    lagSum: pickMetric(text, 'rstream_tick_lag_seconds_sum'),
    lagCount: pickMetric(text, 'rstream_tick_lag_seconds_count'),
  };
}

/**
 * GET on a new TCP connection each time: node:cluster balances connections, not requests, so
 * fetch's kept-alive connection would reach the same worker every time.
 */
function scrape(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 15_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`${url} → ${res.statusCode}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 15 s`)));
    req.on('error', reject);
  });
}

const SUMMED = ['messagesIn', 'tickSum', 'tickCount', 'tickWithin250', 'lagSum', 'lagCount'];

/**
 * The server's counters, summed over its instances. Behind node:cluster's round-robin each request
 * reaches one worker, so it scrapes until it has seen `instances` distinct instance ids (bounded);
 * with several URLs (separate instances) it scrapes each. `perInstance` keeps the single figures.
 */
export async function readServerMetrics(urls, instances = 1) {
  const byId = new Map();
  const list = Array.isArray(urls) ? urls : [urls];
  for (const url of list) {
    const want = list.length > 1 ? 1 : instances;
    const here = new Set();
    for (let i = 0; i < 20 * want && here.size < want; i++) {
      const m = parseMetrics(await scrape(`${url}/metrics`));
      const id = m.instanceId ?? url;
      here.add(id);
      byId.set(id, m);
    }
  }
  const per = [...byId.values()];
  const sum = Object.fromEntries(
    SUMMED.map((k) => [k, per.some((m) => m[k] === null) ? null : per.reduce((a, m) => a + m[k], 0)]),
  );
  return { ...sum, instancesSeen: per.length, perInstance: Object.fromEntries(byId) };
}

/**
 * `--ref <git-ref>`: builds the server as committed at that ref (not the working tree, which other
 * people may be editing) and returns its main.js. Built once per commit, under node_modules/.cache so
 * that linters, test runners and git leave the copy alone while the server still finds its packages.
 */
export async function buildServerAtRef(ref) {
  const git = (args, opts = {}) => execFileSync('git', args, { cwd: ROOT, ...opts });
  let sha;
  try {
    sha = git(['rev-parse', '--verify', `${ref}^{commit}`], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    throw new Error(`--ref ${ref}: no such commit`);
  }
  const dir = path.join(ROOT, 'node_modules/.cache/rstream-bench', `server-${sha.slice(0, 12)}`);
  const main = path.join(dir, 'packages/server/dist/main.js');
  if (existsSync(main)) return { main, sha };
  console.log(`Building the server at ${ref} (${sha.slice(0, 12)}) into ${path.relative(ROOT, dir)}…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = git(['archive', '--format=tar', sha, 'packages/server', 'packages/protocol'], {
    maxBuffer: 1 << 28,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const pkg = JSON.parse(readFileSync(path.join(dir, 'packages/server/package.json'), 'utf8'));
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(dir, 'packages/server/src/main.ts')],
    outdir: path.dirname(main),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: Object.keys(pkg.dependencies).filter((d) => !d.startsWith('@rstream/')),
    // The protocol package of the same commit, not the working tree's (its root and `/light`;
    // an alias of the root alone would turn `@rstream/protocol/light` into `index.ts/light`).
    plugins: [
      {
        name: 'protocol-at-ref',
        setup(b) {
          b.onResolve({ filter: /^@rstream\/protocol(\/light)?$/ }, (args) => ({
            path: path.join(
              dir,
              'packages/protocol/src',
              args.path.endsWith('/light') ? 'light.ts' : 'index.ts',
            ),
          }));
        },
      },
    ],
    logLevel: 'warning',
  });
  return { main, sha };
}
