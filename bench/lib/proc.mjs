// Process accounting from /proc (Linux) and the bookkeeping that kills every child on exit.
import { readFileSync } from 'node:fs';
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

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function machineJiffies() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + (line[4] ?? 0);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** A CPU meter for a pid: start(), then stop() → % of one core over the interval. */
export function cpuMeter(pid) {
  let t0 = 0;
  let c0 = 0;
  return {
    start() {
      t0 = performance.now();
      c0 = cpuSeconds(pid) ?? 0;
    },
    stop() {
      const c1 = cpuSeconds(pid);
      if (c1 === null) return null;
      return ((c1 - c0) / ((performance.now() - t0) / 1000)) * 100;
    },
  };
}

/** Whole-machine CPU use over an interval, in % of one core (2 cores busy = 200). */
export function machineMeter(cores) {
  let j0 = null;
  return {
    start() {
      j0 = machineJiffies();
    },
    stop() {
      const j1 = machineJiffies();
      return ((j1.busy - j0.busy) / (j1.total - j0.total)) * cores * 100;
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
