// One load-generator process (forked by bench/run.mjs): joins its share of listeners over HTTP,
// opens their sockets, changes each listener's level every SIGNAL_MS at a random phase, and
// measures tick-to-client latency, sequence gaps and bytes while the parent says so.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openClient } from './lib/clients.mjs';
import { Histogram } from './lib/histogram.mjs';

const SLOT_MS = 50;
// Whatever happens to the parent, this process ends with it.
process.on('disconnect', () => process.exit(0));
const reply = (m) => process.send?.(m);

let cfg = null;
let clients = [];
let tokens = [];
let level = null;
let alive = null;
let lastSeq = null;
let slots = [];
let slotTimer = null;
const hist = new Histogram();
const loop = monitorEventLoopDelay({ resolution: 10 });
const w = {
  measuring: false,
  gaps: 0,
  reordered: 0,
  updates: 0,
  disconnects: 0,
  signalsSent: 0,
  welcomed: 0,
};
let firstConnectAt = 0;
let lastWelcomeAt = 0;
let windowStart = null;

async function pool(count, concurrency, fn) {
  let next = 0;
  const run = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, run));
}

async function joinAll() {
  const started = Date.now();
  let failures = 0;
  tokens = new Array(cfg.count);
  await pool(cfg.count, cfg.joinConcurrency, async (k) => {
    const i = cfg.base + k;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${cfg.url}/api/sessions/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: cfg.code, displayName: `Listener ${i}` }),
        });
        if (!res.ok) throw new Error(`join → ${res.status} ${await res.text()}`);
        tokens[k] = (await res.json()).participantToken;
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        failures++;
      }
    }
  });
  return { ms: Date.now() - started, retries: failures };
}

function nextLevel(current) {
  // Always a different level, so the aggregate changes on every tick.
  const step = 1 + Math.floor(Math.random() * 4);
  return current === 0 ? step : ((current - 1 + step) % 5) + 1;
}

async function connectAll() {
  level = new Uint8Array(cfg.count);
  alive = new Uint8Array(cfg.count);
  lastSeq = new Float64Array(cfg.count).fill(-1);
  slots = Array.from({ length: Math.max(1, Math.round(cfg.signalMs / SLOT_MS)) }, () => []);
  clients = new Array(cfg.count);
  let failed = 0;
  firstConnectAt = Date.now();
  await pool(
    cfg.count,
    cfg.connectConcurrency,
    (k) =>
      new Promise((resolve) => {
        let welcomed = false;
        const timer = setTimeout(() => {
          if (!welcomed) {
            failed++;
            clients[k].close();
            resolve();
          }
        }, cfg.connectTimeoutMs);
        clients[k] = openClient(
          cfg.target,
          { token: tokens[k], index: cfg.base + k },
          {
            onWelcome() {
              if (welcomed) return;
              welcomed = true;
              alive[k] = 1;
              w.welcomed++;
              lastWelcomeAt = Date.now();
              clearTimeout(timer);
              // A random phase spreads the signals evenly over the period.
              slots[Math.floor(Math.random() * slots.length)].push(k);
              resolve();
            },
            onUpdate(ts, seq) {
              const prev = lastSeq[k];
              lastSeq[k] = seq;
              if (!w.measuring) return;
              w.updates++;
              hist.record(Date.now() - ts);
              if (prev >= 0) {
                if (seq > prev + 1) w.gaps += seq - prev - 1;
                else if (seq <= prev) w.reordered++;
              }
            },
            onClose() {
              alive[k] = 0;
              if (welcomed) w.disconnects++;
              else {
                clearTimeout(timer);
                failed++;
                resolve();
              }
            },
          },
        );
      }),
  );
  let cur = 0;
  slotTimer = setInterval(() => {
    for (const k of slots[cur]) {
      level[k] = nextLevel(level[k]);
      clients[k].send(level[k]);
      w.signalsSent++;
    }
    cur = (cur + 1) % slots.length;
  }, SLOT_MS);
  return { ok: cfg.count - failed, failed, firstConnectAt, lastWelcomeAt };
}

function startWindow() {
  hist.reset();
  Object.assign(w, { measuring: true, gaps: 0, reordered: 0, updates: 0 });
  loop.reset();
  loop.enable();
  let bytes = 0;
  for (const c of clients) if (c) bytes += c.bytesRead();
  windowStart = { at: performance.now(), cpu: process.cpuUsage(), bytes, signals: w.signalsSent };
}

function stopWindow() {
  w.measuring = false;
  loop.disable();
  const cpu = process.cpuUsage(windowStart.cpu);
  let bytes = 0;
  for (const c of clients) if (c) bytes += c.bytesRead();
  return {
    hist: hist.toJSON(),
    gaps: w.gaps,
    reordered: w.reordered,
    updates: w.updates,
    disconnects: w.disconnects,
    bytes: bytes - windowStart.bytes,
    seconds: (performance.now() - windowStart.at) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    signalsInWindow: w.signalsSent - windowStart.signals,
    loopDelayP99Ms: loop.count ? loop.percentile(99) / 1e6 : null,
    loopDelayMaxMs: loop.count ? loop.max / 1e6 : null,
  };
}

/** Stops the periodic changes and sets every listener to its known final level 1 + (i mod 5). */
function sendFinal() {
  clearInterval(slotTimer);
  let sent = 0;
  const counts = [0, 0, 0, 0, 0];
  for (let k = 0; k < cfg.count; k++) {
    if (!alive[k]) continue;
    const final = 1 + ((cfg.base + k) % 5);
    clients[k].send(final);
    level[k] = final;
    counts[final - 1]++;
    sent++;
  }
  w.signalsSent += sent;
  return { sent, counts, signalsSent: w.signalsSent, disconnects: w.disconnects };
}

process.on('message', async (m) => {
  try {
    switch (m.cmd) {
      case 'init':
        cfg = m.cfg;
        if (cfg.target.kind === 'rstream') reply({ type: 'joined', ...(await joinAll()) });
        else reply({ type: 'joined', ms: 0, retries: 0 });
        break;
      case 'connect':
        reply({ type: 'connected', ...(await connectAll()) });
        break;
      case 'measure-start':
        startWindow();
        reply({ type: 'measuring' });
        break;
      case 'measure-stop':
        reply({ type: 'measured', ...stopWindow() });
        break;
      case 'final':
        reply({ type: 'final-sent', ...sendFinal() });
        break;
      case 'close':
        clearInterval(slotTimer);
        for (const c of clients) c?.close();
        setTimeout(() => process.exit(0), 200);
        break;
    }
  } catch (e) {
    reply({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
reply({ type: 'ready' });
