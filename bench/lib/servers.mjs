// The servers under test, behind one shape that runScenario understands.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { onCleanup, rssMb, stopChild, track, waitMessage } from './proc.mjs';
import { readServerMetrics, ROOT, setUpLiveSession, startRstreamServer } from './rstream-server.mjs';

/**
 * Server modes (`--server`): embedded (PGlite, one process), pg (PostgreSQL, one process),
 * pg-workers=N (PostgreSQL, N node:cluster workers on one port, bus relayed over IPC),
 * redis-instances=K (K separate processes on K ports, one PostgreSQL database, one Redis).
 */
export function parseMode(text) {
  const m = /^(embedded|pg|pg-workers=(\d+)|redis-instances=(\d+))$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[2] ?? m[3] ?? 1);
  if (n < 1 || n > 16) return null;
  const kind = m[2] ? 'pg-workers' : m[3] ? 'redis-instances' : m[1];
  return { kind, n, label: text.trim() };
}

let databases = 0;
/** A fresh database on the machine's PostgreSQL for one run, dropped when the run ends (or the bench exits). */
function scratchDatabase(pgUrl) {
  const name = `rstream_bench_${Date.now()}_${process.pid}_${++databases}`;
  const admin = (sql) =>
    execFileSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-qc', sql], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  admin(`CREATE DATABASE ${name}`);
  const drop = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const unregister = onCleanup(drop);
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop() {
      unregister();
      try {
        drop();
      } catch (e) {
        console.error(`  (could not drop ${name}: ${e.message})`);
      }
    },
  };
}

/**
 * R-Stream itself (`node packages/server/dist/main.js`) in one of the modes above, one live session.
 * `ports` gives one port per instance (redis-instances) or just the first.
 */
export async function rstreamUnderTest(mode, ports, main, profileDir, env) {
  const db = mode.kind === 'embedded' ? null : scratchDatabase(env.pgUrl);
  const instances = mode.kind === 'redis-instances' ? mode.n : 1;
  const opts = {
    main,
    profileDir,
    databaseUrl: db?.url ?? '',
    redisUrl: mode.kind === 'redis-instances' ? env.redisUrl : '',
    workers: mode.kind === 'pg-workers' ? mode.n : 1,
    // Every instance must accept the others' tokens.
    jwtSecret: db ? randomBytes(32).toString('hex') : '',
  };
  const srvs = [];
  const stopAll = async () => {
    await Promise.all(srvs.map((s) => s.stop()));
    db?.drop();
  };
  let session;
  try {
    // One at a time: each migrates the (shared) database on start.
    for (let i = 0; i < instances; i++) srvs.push(await startRstreamServer(ports[i], opts));
    if (mode.kind === 'pg-workers') {
      await waitForWorkers(srvs[0], mode.n).catch((e) => {
        throw new Error(`${e.message}; server output:\n${srvs[0].log()}`);
      });
    }
    session = await setUpLiveSession(srvs[0].url);
  } catch (e) {
    await stopAll();
    throw e;
  }
  const urls = srvs.map((s) => s.url);
  const metricInstances = mode.kind === 'pg-workers' ? mode.n : 1;
  const targets = srvs.map((s) => ({
    kind: 'rstream',
    url: s.url,
    wsUrl: s.wsUrl,
    sessionId: session.sessionId,
    code: session.code,
  }));
  return {
    name: `R-Stream ${mode.label}`,
    pid: srvs[0].pid,
    pids: () => srvs.flatMap((s) => s.pids()),
    // The speaker on the first instance; load process i on instance i mod K.
    target: targets[0],
    targets,
    speakerToken: session.accessToken,
    signalsReceived: async () => (await readServerMetrics(urls, metricInstances)).messagesIn ?? Number.NaN,
    extra: () => readServerMetrics(urls, metricInstances),
    async settledMemory() {
      const all = await Promise.all(srvs.map((s) => s.settledMemory()));
      const sum = (k) => (all.some((m) => m[k] === null) ? null : all.reduce((a, m) => a + m[k], 0));
      return { rss: sum('rss'), heap: sum('heap'), processes: sum('processes') };
    },
    describe(b, a) {
      if (!a || !b) return null;
      const ticks = a.tickCount - b.tickCount;
      const perInstance = Object.keys(a.perInstance ?? {}).map((id) => {
        const x = a.perInstance[id];
        const y = b.perInstance?.[id];
        const t = y ? x.tickCount - y.tickCount : null;
        const l = y ? x.lagCount - y.lagCount : null;
        return {
          instance: id,
          ticks: t,
          meanTickMs: t ? ((x.tickSum - y.tickSum) / t) * 1000 : null,
          overruns: y && x.tickWithin250 !== null ? t - (x.tickWithin250 - y.tickWithin250) : null,
          meanTickLagMs: l ? ((x.lagSum - y.lagSum) / l) * 1000 : null,
        };
      });
      return {
        ticks,
        instancesSeen: a.instancesSeen,
        tickOverruns: a.tickWithin250 === null ? null : ticks - (a.tickWithin250 - b.tickWithin250),
        meanTickMs: ticks ? ((a.tickSum - b.tickSum) / ticks) * 1000 : null,
        meanTickLagMs:
          a.lagCount - b.lagCount ? ((a.lagSum - b.lagSum) / (a.lagCount - b.lagCount)) * 1000 : null,
        maxMeanTickLagMs: Math.max(...perInstance.map((p) => p.meanTickLagMs ?? 0)),
        perInstance,
      };
    },
    stop: stopAll,
  };
}

/** node:cluster: /api/health answers as soon as one worker listens; wait until all N answer /metrics. */
async function waitForWorkers(srv, n) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = await readServerMetrics(srv.url, n).catch(() => null);
    if (m && m.instancesSeen >= n) return;
    if (Date.now() > deadline)
      throw new Error(`only ${m?.instancesSeen ?? 0} of ${n} workers answered within 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** bench/baseline-socketio.mjs in `event` (broadcast per signal) or `tick` mode. */
export async function socketIoUnderTest(port, mode, tickMs) {
  const child = track(
    fork(
      path.join(ROOT, 'bench/baseline-socketio.mjs'),
      ['--port', String(port), '--mode', mode, '--tick-ms', String(tickMs)],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    ),
  );
  await waitMessage(child, (m) => m.type === 'listening', 15_000, 'Socket.IO baseline');
  const stats = async () => {
    if (!child.connected) throw new Error('the Socket.IO baseline server is gone');
    child.send({ cmd: 'stats' });
    return waitMessage(child, (m) => m.type === 'stats', 30_000, 'Socket.IO baseline (stats)');
  };
  return {
    name: `Socket.IO ${mode === 'event' ? 'per-event' : 'tick'}`,
    pid: child.pid,
    pids: () => [child.pid],
    target: { kind: 'socketio', url: `http://127.0.0.1:${port}` },
    speakerToken: null,
    signalsReceived: async () => (await stats()).signals,
    extra: stats,
    describe: (b, a) => ({ broadcasts: a && b ? a.broadcasts - b.broadcasts : null }),
    async settledMemory() {
      if (!child.connected) return { rss: rssMb(child.pid), heap: null };
      child.send({ cmd: 'gc' });
      const m = await waitMessage(child, (x) => x.type === 'memory', 15_000, 'Socket.IO baseline (gc)').catch(
        () => null,
      );
      return { rss: rssMb(child.pid), heap: m ? (m.heapUsed + m.external) / 2 ** 20 : null };
    },
    stop: () => stopChild(child, 5000),
  };
}
