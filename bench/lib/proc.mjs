// Process accounting from /proc (Linux) and the bookkeeping that kills every child on exit.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';

const CLK_TCK = 100; // `getconf CLK_TCK` on Linux x86-64 and arm64

/** CPU seconds (user + system) a process has used so far; null when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}

/** Resident set size in MB; null when the process is gone. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Busy, stolen (by the hypervisor) and total jiffies of the whole machine, from /proc/stat. */
export function machineJiffies() {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  return {
    busy: user + nice + system + irq + softirq,
    steal,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

/** Nanoseconds the process's main thread has run, and waited in the run queue for a CPU. */
function schedstat(pid) {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run, wait };
  } catch {
    return null;
  }
}

/**
 * A CPU meter for a pid: start(), then stop() → {cpuPct: % of one core used by the whole process,
 * waitPct: % of the interval its main thread (the event loop) was runnable but waiting for a CPU}.
 */
export function cpuMeter(pid) {
  let t0 = 0;
  let c0 = 0;
  let s0 = null;
  return {
    start() {
      t0 = performance.now();
      c0 = cpuSeconds(pid) ?? 0;
      s0 = schedstat(pid);
    },
    stop() {
      const secs = (performance.now() - t0) / 1000;
      const c1 = cpuSeconds(pid);
      const s1 = schedstat(pid);
      return {
        cpuPct: c1 === null ? null : ((c1 - c0) / secs) * 100,
        waitPct: s0 && s1 ? ((s1.wait - s0.wait) / 1e9 / secs) * 100 : null,
      };
    },
  };
}

/**
 * Linux's autogroup scheduler shares the CPU fairly between sessions (terminals, jobs) before nice
 * values count, so on a shared machine the whole benchmark gets one session's share. Setting the
 * session's autogroup nice (root for < 0) changes that weight; null when autogroup is off.
 */
export function setAutogroupNice(nice) {
  try {
    writeFileSync('/proc/self/autogroup', String(nice));
    return readFileSync('/proc/self/autogroup', 'utf8').trim();
  } catch (e) {
    throw new Error(`cannot set the autogroup nice to ${nice}: ${e.code ?? e.message}`);
  }
}

export function autogroup() {
  try {
    return readFileSync('/proc/self/autogroup', 'utf8').trim();
  } catch {
    return null;
  }
}

/** Whole-machine CPU use over an interval, in % of one core (2 cores busy = 200), and time stolen. */
export function machineMeter(cores) {
  let j0 = null;
  return {
    start() {
      j0 = machineJiffies();
    },
    stop() {
      const j1 = machineJiffies();
      const total = j1.total - j0.total || 1;
      return {
        busyPct: ((j1.busy - j0.busy) / total) * cores * 100,
        stealPct: ((j1.steal - j0.steal) / total) * cores * 100,
      };
    },
  };
}

/** First port of [from, to] that 127.0.0.1 can listen on. */
export async function freePort(from, to) {
  for (let port = from; port <= to; port++) {
    const ok = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port in ${from}–${to}`);
}

// ---- children --------------------------------------------------------------------------

const children = new Set();
const cleanups = new Set();

/** A synchronous clean-up step (e.g. removing a temp folder) run when the benchmark exits. */
export function onCleanup(fn) {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Remembers a child so that it is killed when the benchmark exits, however it exits. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killAll(signal = 'SIGKILL') {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        c.kill(signal);
      } catch {
        /* already gone */
      }
    }
  }
}

/** Resolves true when the child exits within `ms`, false otherwise. */
export function waitExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Stops a child politely, then for good after `graceMs`. */
export function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

let installed = false;
/** Kills every tracked child on normal exit, Ctrl-C, SIGTERM and uncaught errors. */
export function installExitHandlers() {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    killAll();
    for (const fn of cleanups) {
      try {
        fn();
      } catch {
        /* best effort */
      }
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`\n${sig}: stopping the benchmark and its children.`);
      killAll();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (err) => {
    console.error('benchmark failed:', err);
    killAll();
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error('benchmark failed:', err);
    killAll();
    process.exit(1);
  });
}

/** Resolves with the first IPC message from `child` that `match` accepts, or rejects after `ms`. */
export function waitMessage(child, match, ms, what) {
  return new Promise((resolve, reject) => {
    const onMsg = (m) => {
      if (!match(m)) return;
      cleanup();
      resolve(m);
    };
    const onExit = (code, sig) => {
      cleanup();
      reject(new Error(`${what}: process exited (${code ?? sig}) before answering`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`));
    }, ms);
    function cleanup() {
      clearTimeout(timer);
      child.off('message', onMsg);
      child.off('exit', onExit);
    }
    child.on('message', onMsg);
    child.once('exit', onExit);
  });
}

// ---- process trees (a node:cluster primary and its workers) ------------------------------

/** The pid and all its descendants (from the ppid field of /proc/<pid>/stat), parent first. */
export function processTree(root) {
  const parentOf = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const [pid, ppid] of parentOf) if (ppid === out[i]) out.push(pid);
  }
  return out;
}

/** cpuMeter over a fixed set of pids: stop() → {cpuPct, waitPct} summed, and per pid. */
export function treeCpuMeter(pids) {
  const meters = pids.map((pid) => ({ pid, m: cpuMeter(pid) }));
  return {
    start() {
      for (const x of meters) x.m.start();
    },
    stop() {
      const per = meters.map((x) => ({ pid: x.pid, ...x.m.stop() }));
      const sum = (k) => per.reduce((a, p) => a + (p[k] ?? 0), 0);
      return { cpuPct: sum('cpuPct'), waitPct: sum('waitPct'), perProcess: per };
    },
  };
}

/** RSS in MB summed over pids (null when all are gone). */
export function treeRssMb(pids) {
  const each = pids.map(rssMb).filter((v) => v !== null);
  return each.length ? each.reduce((a, b) => a + b, 0) : null;
}
