// `npm run bench`: R-Stream's real-time benchmark, with Socket.IO baselines in the same run.
// See docs/benchmarks.md for what it does and what every column means.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  autogroup,
  freePort,
  installExitHandlers,
  machineMeter,
  onCleanup,
  setAutogroupNice,
} from './lib/proc.mjs';
import { formatProfileSummary, summarizeProfile } from './lib/profile-summary.mjs';
import { COLUMNS, comparison, table, targetLines } from './lib/report.mjs';
import { buildServerAtRef, ensureServerBuilt, ROOT, WORKTREE_MAIN } from './lib/rstream-server.mjs';
import { runScenario } from './lib/scenario.mjs';
import { scalingSummary } from './lib/scaling-report.mjs';
import { rstreamUnderTest, socketIoUnderTest } from './lib/servers.mjs';

import { options } from './lib/options.mjs';

/** Waits (bounded) until the rest of the machine is quiet; the figures mean little otherwise. */
async function waitForQuiet(o, log) {
  const meter = machineMeter(os.cpus().length);
  const started = Date.now();
  let busy = 0;
  for (let said = false; ;) {
    meter.start();
    await new Promise((r) => setTimeout(r, 2000));
    busy = meter.stop().busyPct;
    const waited = (Date.now() - started) / 1000;
    if (busy < o.idlePct || waited >= o.waitIdleSeconds)
      return { busyPct: Math.round(busy), waitedSeconds: Math.round(waited) };
    if (!said)
      log(
        `  the machine is busy (${Math.round(busy)} % of one core used by other processes); waiting up to ${o.waitIdleSeconds} s for it to calm down…`,
      );
    said = true;
  }
}

function verdict(r, keepUpMs, baseline) {
  // Unanswered stats requests only matter when nothing else explains the failure.
  const errors = [...new Set(r.errors.map((e) => e.replace(/ \(.*$/, '')))];
  const problems = errors.filter((e) => !/^server (stats|signal count): no answer/.test(e));
  if (r.latencyMs && r.latencyMs.p99 > keepUpMs && baseline)
    problems.push(`p99 ${r.latencyMs.p99} ms > ${keepUpMs} ms`);
  if (r.finalCheck && !r.finalCheck.matched) {
    const handled =
      r.signalsReceivedByServer === null
        ? ''
        : ` (server had handled ${r.signalsReceivedByServer} of ${r.signalsSent} signals)`;
    problems.push(`final tally wrong after 10 s${handled}`);
  }
  if (r.disconnects > 0) problems.push(`${r.disconnects} disconnected`);
  if (problems.length === 0 && errors.length > 0) problems.push(...errors);
  if (problems.length === 0) return baseline ? 'kept up' : 'ok';
  return `${baseline ? 'did not keep up' : 'failed'}: ${problems.join('; ')}`;
}

async function main() {
  installExitHandlers();
  const o = options();
  const log = (s) => console.log(s);
  // Children inherit the session, so this covers the servers and load generators too.
  let scheduling = autogroup();
  if (o.priority) {
    const before = Number(/nice (-?\d+)/.exec(scheduling ?? '')?.[1] ?? 0);
    scheduling = setAutogroupNice(o.priority);
    // The autogroup is the whole terminal session's: give its weight back when the benchmark ends.
    onCleanup(() => setAutogroupNice(before));
  }
  let main = WORKTREE_MAIN;
  let server = 'working tree';
  if (o.ref) {
    const built = await buildServerAtRef(o.ref);
    main = built.main;
    server = `${o.ref} (${built.sha.slice(0, 12)})`;
  } else {
    ensureServerBuilt();
  }
  const started = new Date();
  const results = {
    startedAt: started.toISOString(),
    machine: { ...machine(), autogroup: scheduling },
    server,
    options: o,
    rstream: [],
    baselines: [],
  };

  for (const mode of o.modes) {
    let gaveUp = null;
    for (const size of o.sizes) {
      const label = `R-Stream ${mode.label} ${size}`;
      if (gaveUp) {
        results.rstream.push({
          label,
          mode: mode.label,
          listeners: size,
          errors: [],
          status: `not run: ${gaveUp}`,
        });
        continue;
      }
      log(`R-Stream (${mode.label}), ${size.toLocaleString('en-US')} listeners:`);
      const quiet = o.waitIdleSeconds ? await waitForQuiet(o, log) : null;
      const profileDir = o.profile
        ? path.join(resultsDir(o, started), `profile-${mode.label}-${size}`)
        : null;
      const ports = [];
      for (let i = 0; i < mode.n; i++)
        ports.push(await freePort((ports.at(-1) ?? o.ports[0] - 1) + 1, o.ports[1]));
      let r;
      try {
        const server = await rstreamUnderTest(mode, ports, main, profileDir, o);
        r = await runScenario(server, size, o, log);
      } catch (e) {
        r = { listeners: size, errors: [e instanceof Error ? e.message : String(e)] };
      }
      Object.assign(r, { label, mode: mode.label });
      if (profileDir) r.profile = profileOf(profileDir, r.windowMonotonicUs, log);
      r.machineBefore = quiet;
      r.status = verdict(r, o.keepUpMs, false);
      results.rstream.push(r);
      log(`  ${r.status}; p99 ${r.latencyMs?.p99 ?? '–'} ms`);
      gaveUp = tooSlow(r, o.stopAboveMs);
    }
  }

  if (o.baseline) {
    const bo = { ...o, maxRunSeconds: o.baselineMaxSeconds };
    const plan = [
      ...o.tickSizes.map((size) => ({ mode: 'tick', size })),
      ...o.eventSizes.map((size) => ({ mode: 'event', size })),
    ];
    let eventGaveUp = false;
    let tickGaveUp = null;
    for (const { mode, size } of plan) {
      if (mode === 'tick' && tickGaveUp) {
        results.baselines.push({
          label: `Socket.IO tick ${size}`,
          mode,
          listeners: size,
          errors: [],
          status: `not run: ${tickGaveUp}`,
        });
        continue;
      }
      if (mode === 'event' && eventGaveUp) {
        results.baselines.push({
          label: `Socket.IO per-event ${size}`,
          mode,
          listeners: size,
          errors: [],
          status: 'not run: a smaller size did not keep up',
        });
        continue;
      }
      const name = mode === 'event' ? 'per-event' : 'tick';
      log(`Socket.IO ${name} baseline, ${size.toLocaleString('en-US')} listeners:`);
      const quiet = o.waitIdleSeconds ? await waitForQuiet(o, log) : null;
      const server = await socketIoUnderTest(await freePort(...o.baselinePorts), mode, 250);
      const r = await runScenario(server, size, bo, log);
      r.label = `Socket.IO ${name} ${size}`;
      r.mode = mode;
      r.machineBefore = quiet;
      r.status = verdict(r, o.keepUpMs, true);
      if (mode === 'event' && r.status !== 'kept up') eventGaveUp = true;
      if (mode === 'tick') tickGaveUp = tooSlow(r, o.stopAboveMs);
      results.baselines.push(r);
      log(`  ${r.status}; p99 ${r.latencyMs?.p99 ?? '–'} ms`);
    }
  }
  results.finishedAt = new Date().toISOString();
  print(results);
  save(results, o.out);
}

/** --stop-above-ms: why the larger sizes of a sweep are skipped after this run, or null. */
function tooSlow(r, ms) {
  if (!ms) return null;
  if (!r.latencyMs) return `${r.listeners} failed`;
  if (r.latencyMs.p99 > ms) return `p99 at ${r.listeners} was ${r.latencyMs.p99} ms > ${ms} ms`;
  return null;
}

function machine() {
  let commit = null;
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    /* not a git checkout */
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadavgAtStart: os.loadavg(),
    commit,
  };
}

function print(results) {
  const m = results.machine;
  console.log(
    `\nR-Stream real-time benchmark — ${results.startedAt} — ${m.cores} cores (${m.cpu}), Node ${m.node}`,
  );
  console.log(`Server: ${results.server}${results.options.ref ? '' : ` at commit ${m.commit ?? '?'}`}.`);
  console.log(
    `Window ${results.options.seconds} s; each listener changes level every ${results.options.signalMs} ms; latency = client receipt − server tick timestamp.\n`,
  );
  const statusCol = { h: 'status', get: (r) => r.status };
  console.log(table(results.rstream, [...COLUMNS, statusCol], 'server'));
  for (const line of targetLines(results.rstream)) console.log(line);
  if (results.baselines.length > 0) {
    console.log('\nBaselines (bench/baseline-socketio.mjs, same load generator):\n');
    console.log(table(results.baselines, [...COLUMNS, statusCol], 'server'));
    const cmp = comparison(
      results.rstream,
      results.baselines.filter((b) => b.mode === 'tick'),
    );
    if (cmp) console.log(`\nSocket.IO (250 ms tick) ÷ R-Stream, same size:\n\n${cmp}`);
  }
  console.log(`\n${scalingSummary(results)}`);
}

/** Summarises the CPU profile the server wrote on exit, cut to the measurement window. */
function profileOf(dir, window, log) {
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : null;
  if (!file || !window) {
    log('  (no CPU profile was written)');
    return null;
  }
  const summary = summarizeProfile(path.join(dir, file), window[0], window[1]);
  log(formatProfileSummary(summary));
  return { file: path.relative(ROOT, path.join(dir, file)), ...summary };
}

const stamp = (d) => d.toISOString().replace(/[:.]/g, '-');
/** Where extra files of a run (CPU profiles) go: next to the JSON. */
const resultsDir = (o, started) =>
  o.out ? path.dirname(path.resolve(o.out)) : path.join(ROOT, 'bench/results', stamp(started));

function save(results, out) {
  const file = out
    ? path.resolve(out)
    : path.join(ROOT, 'bench/results', `${stamp(new Date(results.startedAt))}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  renameSync(`${file}.tmp`, file);
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error('bench failed:', e instanceof Error ? e.message : e);
  process.exit(1);
});
