// One benchmark run at one audience size against one server: start it, join and connect the
// listeners from forked load generators, measure a steady-state window, check the final tally.
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Histogram } from './histogram.mjs';
import {
  cpuMeter,
  machineMeter,
  rssMb,
  stopChild,
  track,
  treeCpuMeter,
  waitExit,
  waitMessage,
} from './proc.mjs';
import { ROOT } from './rstream-server.mjs';
import { connectSpeaker, signalsLost } from './speaker.mjs';

const WORKER = path.join(ROOT, 'bench/load-worker.mjs');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {object} server  {pid, target, speakerToken, signalsReceived(): Promise<number>, extra?(): Promise<object>, stop()}
 * @param {number} size    listeners
 * @param {object} o       parsed options (seconds, warmup, perWorker, signalMs, …)
 */
export async function runScenario(server, size, o, log) {
  const result = { listeners: size, errors: [] };
  const workers = [];
  let speaker = null;
  let rssTimer = null;
  let abort;
  const aborted = new Promise((_, reject) => (abort = reject));
  aborted.catch(() => {});
  const step = (p) => Promise.race([p, aborted]);
  const cap = setTimeout(
    () => abort(new Error(`run exceeded --max-run-seconds ${o.maxRunSeconds}`)),
    o.maxRunSeconds * 1000,
  );
  const all = (msg, type, ms) =>
    step(
      Promise.all(
        workers.map((w, i) => {
          if (msg) w.send(msg);
          return waitMessage(
            w,
            (m) => m.type === type || m.type === 'error',
            ms,
            `load worker ${i} (${type})`,
          ).then((m) => {
            if (m.type === 'error') throw new Error(`load worker ${i}: ${m.message}`);
            return m;
          });
        }),
      ),
    );
  /** Server-side extras (metrics, stats) must not sink a run whose server is drowning: null instead. */
  const soft = (p, what) =>
    Promise.race([
      Promise.resolve(p),
      new Promise((_, rej) => setTimeout(() => rej(new Error('no answer within 15 s')), 15_000)),
    ]).catch((e) => {
      result.errors.push(`${what}: ${e.message}`);
      return null;
    });
  // Two full GCs a second apart: V8 hands freed pages back to the OS lazily, and RSS should not
  // count the garbage of the joins against the connections.
  const settle = async () => {
    await server.settledMemory();
    await sleep(1000);
    return server.settledMemory();
  };
  let peakRss = 0;
  // Every server process: a node:cluster primary and its workers, or several instances.
  const pids = server.pids?.() ?? [server.pid];
  result.serverProcesses = pids.length;
  const serverRss = () => {
    const each = pids.map(rssMb);
    return each.includes(null) ? null : each.reduce((a, b) => a + b, 0);
  };
  const watchRss = () => {
    const mb = serverRss();
    if (mb === null) return abort(new Error('a server process died'));
    peakRss = Math.max(peakRss, mb);
    if (mb > o.maxServerRssMb) abort(new Error(`server RSS passed ${o.maxServerRssMb} MB`));
  };
  try {
    rssTimer = setInterval(watchRss, 500);
    const nWorkers = Math.max(1, Math.ceil(size / o.perWorker));
    for (let i = 0; i < nWorkers; i++) {
      workers.push(track(fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })));
    }
    await all(null, 'ready', 15_000);
    // Joins happen inside the workers (HTTP), so the parent stays light.
    let base = 0;
    const connectTimeoutMs = o.connectTimeoutSeconds * 1000;
    const joinStarted = Date.now();
    await step(
      Promise.all(
        workers.map((w, i) => {
          const count = Math.floor(size / nWorkers) + (i < size % nWorkers ? 1 : 0);
          // Several instances: load process i joins and connects through instance i mod K.
          const target = server.targets?.[i % server.targets.length] ?? server.target;
          const cfg = {
            target,
            base,
            count,
            signalMs: o.signalMs,
            joinConcurrency: 16,
            connectConcurrency: 250,
            connectTimeoutMs,
            url: target.url,
            code: target.code,
          };
          base += count;
          w.send({ cmd: 'init', cfg });
          return waitMessage(
            w,
            (m) => m.type === 'joined' || m.type === 'error',
            60_000 + size * 50,
            `load worker ${i} (join)`,
          ).then((m) => {
            if (m.type === 'error') throw new Error(m.message);
          });
        }),
      ),
    );
    result.joinSeconds = server.target.kind === 'rstream' ? (Date.now() - joinStarted) / 1000 : null;

    const memBefore = await settle();
    const receivedBefore = await soft(server.signalsReceived(), 'server signal count');
    speaker = connectSpeaker(server.target, server.speakerToken);
    await step(speaker.welcomed);
    log(`  connecting ${size} listeners from ${nWorkers} load process${nWorkers > 1 ? 'es' : ''}…`);
    const connected = await all({ cmd: 'connect' }, 'connected', connectTimeoutMs + 60_000);
    const ok = connected.reduce((a, m) => a + m.ok, 0);
    result.connected = ok;
    result.connectFailures = size - ok;
    result.rampSeconds =
      (Math.max(...connected.map((m) => m.lastWelcomeAt)) -
        Math.min(...connected.map((m) => m.firstConnectAt))) /
      1000;
    if (ok < size)
      result.errors.push(
        `${size - ok} of ${size} listeners did not get a welcome within ${o.connectTimeoutSeconds} s`,
      );

    await step(sleep(o.warmup * 1000));
    log(`  measuring for ${o.seconds} s…`);
    const serverCpu = treeCpuMeter(pids);
    const parentCpu = cpuMeter(process.pid);
    const machine = machineMeter(os.cpus().length);
    const before = await soft(server.extra?.(), 'server stats');
    serverCpu.start();
    parentCpu.start();
    machine.start();
    speaker.startWindow();
    await all({ cmd: 'measure-start' }, 'measuring', 30_000);
    // CLOCK_MONOTONIC in µs: the clock V8's CPU profiles use, so --profile can cut out the window.
    const windowFromUs = Number(process.hrtime.bigint() / 1000n);
    await step(sleep(o.seconds * 1000));
    const windowToUs = Number(process.hrtime.bigint() / 1000n);
    const measured = await all({ cmd: 'measure-stop' }, 'measured', 60_000);
    const { cpuPct: serverCpuPct, waitPct: serverWaitPct, perProcess } = serverCpu.stop();
    const parentCpuPct = parentCpu.stop().cpuPct;
    const machinePct = machine.stop();
    const spk = speaker.stopWindow();
    const rssSteady = serverRss();
    const after = await soft(server.extra?.(), 'server stats');
    const memAfter = await settle();

    const hist = new Histogram();
    for (const m of measured) hist.merge(m.hist);
    const secs = Math.max(...measured.map((m) => m.seconds));
    const genCpuPct = (measured.reduce((a, m) => a + m.cpuSeconds, 0) / secs) * 100;
    const lat = hist.summary();
    Object.assign(result, {
      latencyMs: lat,
      speakerLatencyMs: { p50: spk.p50, p99: spk.p99, max: spk.max, samples: spk.samples },
      lostUpdates: measured.reduce((a, m) => a + m.gaps, 0) + spk.gaps,
      reordered: measured.reduce((a, m) => a + m.reordered, 0),
      updatesReceived: measured.reduce((a, m) => a + m.updates, 0),
      updatesPerClientPerSec: measured.reduce((a, m) => a + m.updates, 0) / ok / secs,
      serverCpuPct,
      serverRunQueueWaitPct: serverWaitPct,
      serverPerProcess: perProcess.map((x) => ({ ...x, rssMb: rssMb(x.pid) })),
      generatorPerProcessCpuPct: measured.map((m) => (m.cpuSeconds / m.seconds) * 100),
      serverRssMb: rssSteady,
      serverMemoryBefore: memBefore,
      serverMemoryAfter: memAfter,
      // Both samples after a full GC in the server, so garbage from the joins does not blur them.
      kbPerConnection: ((memAfter.rss - memBefore.rss) * 1024) / ok,
      heapKbPerConnection:
        memAfter.heap === null || memBefore.heap === null
          ? null
          : ((memAfter.heap - memBefore.heap) * 1024) / ok,
      bytesPerConnPerSec: measured.reduce((a, m) => a + m.bytes, 0) / ok / secs,
      generatorCpuPct: genCpuPct,
      parentCpuPct,
      machineCpuPct: machinePct.busyPct,
      stealCpuPct: machinePct.stealPct,
      otherCpuPct: Math.max(0, machinePct.busyPct - serverCpuPct - genCpuPct - parentCpuPct),
      generatorLoopDelayP99Ms: Math.max(...measured.map((m) => m.loopDelayP99Ms ?? 0)),
      signalsInWindow: measured.reduce((a, m) => a + m.signalsInWindow, 0),
      windowSeconds: secs,
      windowMonotonicUs: [windowFromUs, windowToUs],
      server: server.describe?.(before, after) ?? null,
    });

    log('  final levels and tally check…');
    const finals = await all({ cmd: 'final' }, 'final-sent', 60_000);
    // What the connected listeners were told to end on: 1 + (i mod 5) for listener i.
    const expected = [0, 1, 2, 3, 4].map((l) => finals.reduce((a, m) => a + m.counts[l], 0));
    const final = await step(speaker.waitForCounts(expected, o.finalTimeoutMs));
    result.signalsSent = finals.reduce((a, m) => a + m.signalsSent, 0);
    await sleep(300); // the server counts a message when it has handled it; give the last ones a moment
    const receivedAfter = await soft(server.signalsReceived(), 'server signal count');
    result.signalsReceivedByServer =
      receivedAfter === null || receivedBefore === null ? null : receivedAfter - receivedBefore;
    result.disconnects = finals.reduce((a, m) => a + m.disconnects, 0);
    result.finalCheck = { expected, seen: final.counts, n: final.n, matched: final.matched, ms: final.ms };
    // Listeners that were cut off before they could send their final level count as lost too.
    const cutOff = ok - finals.reduce((a, m) => a + m.sent, 0);
    result.signalsLost = signalsLost(expected, final.counts, final.n) + cutOff;
    result.peakServerRssMb = peakRss;
  } catch (e) {
    result.errors.push(e instanceof Error ? e.message : String(e));
  } finally {
    clearTimeout(cap);
    clearInterval(rssTimer);
    speaker?.close();
    for (const w of workers) if (w.connected) w.send({ cmd: 'close' });
    await Promise.all(workers.map((w) => waitExit(w, 5000).then((gone) => gone || stopChild(w, 2000))));
    await server.stop();
  }
  return result;
}
