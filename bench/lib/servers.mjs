// The servers under test, behind one shape that runScenario understands.
import { fork } from 'node:child_process';
import path from 'node:path';
import { rssMb, stopChild, track, waitMessage } from './proc.mjs';
import { readServerMetrics, ROOT, setUpLiveSession, startRstreamServer } from './rstream-server.mjs';

/** R-Stream itself: `node packages/server/dist/main.js` on embedded defaults, one live session. */
export async function rstreamUnderTest(port, main, profileDir) {
  const srv = await startRstreamServer(port, { main, profileDir });
  let session;
  try {
    session = await setUpLiveSession(srv.url);
  } catch (e) {
    await srv.stop();
    throw e;
  }
  return {
    name: 'R-Stream',
    pid: srv.pid,
    target: {
      kind: 'rstream',
      url: srv.url,
      wsUrl: srv.wsUrl,
      sessionId: session.sessionId,
      code: session.code,
    },
    speakerToken: session.accessToken,
    signalsReceived: async () => (await readServerMetrics(srv.url)).messagesIn ?? Number.NaN,
    extra: () => readServerMetrics(srv.url),
    settledMemory: () => srv.settledMemory(),
    describe(b, a) {
      if (!a || !b) return null;
      const ticks = a.tickCount - b.tickCount;
      return {
        ticks,
        meanTickMs: ticks ? ((a.tickSum - b.tickSum) / ticks) * 1000 : null,
        meanTickLagMs:
          a.lagCount - b.lagCount ? ((a.lagSum - b.lagSum) / (a.lagCount - b.lagCount)) * 1000 : null,
      };
    },
    stop: () => srv.stop(),
  };
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
