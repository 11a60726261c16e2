// The command line of `npm run bench` (bench/run.mjs): parsed, checked, with defaults.
import { parseArgs } from 'node:util';
import { parseMode } from './servers.mjs';

const HELP = `Usage: npm run bench -- [options]
  --sizes 1000,5000            R-Stream audience sizes (a fresh server for each)
  --server LIST                R-Stream server modes, each run at every size (default embedded):
                                 embedded           PGlite, one process
                                 pg                 PostgreSQL (a scratch database per run), one process
                                 pg-workers=N       PostgreSQL, N node:cluster workers on one port
                                 redis-instances=K  K instances on K ports sharing PostgreSQL and Redis;
                                                    load process i uses instance i mod K, the speaker the first
  --pg-url URL                 PostgreSQL for the pg modes (default postgresql://postgres@127.0.0.1:5432/postgres)
  --redis-url URL              Redis for redis-instances (default redis://127.0.0.1:6379)
  --stop-above-ms MS           in each size sweep (per mode and per baseline), skip the larger sizes once
                               a size's p99 exceeds MS or it fails (default 0 = run every size)
  --ports A-B                  ports for R-Stream servers (default 3850-3899)
  --baseline-ports A-B         ports for the Socket.IO baselines (default 4850-4899)
  --seconds 20                 steady-state measurement window per size
  --warmup 3                   seconds between "all connected" and the window
  --signal-ms 2000             each listener changes its level this often (random phase)
  --per-worker 2500            sockets per load-generator process (max 5000)
  --no-baseline                skip the Socket.IO baselines
  --baseline-tick-sizes LIST   Socket.IO with a 250 ms tick broadcast (default: --sizes)
  --baseline-event-sizes LIST  Socket.IO broadcasting per signal (default 1000,2000; stops after the first size it cannot keep up with)
  --keep-up-ms 1000            a baseline whose p99 is above this "did not keep up"
  --max-run-seconds 300        hard cap per R-Stream run (baselines: --baseline-max-seconds 150)
  --wait-idle 90               before each run, wait up to this many seconds for the machine to be
                               quiet (other processes < --idle-pct % of one core; 0 = do not wait)
  --idle-pct 40
  --priority=N                 set this session's autogroup nice to N (-20…19; below 0 needs root):
                               the kernel shares the CPU between sessions first, so on a shared machine
                               the whole benchmark otherwise gets one session's share. Default 0
  --ref GIT-REF                benchmark the server as committed at GIT-REF (built under node_modules/.cache/)
                               instead of the working tree
  --profile                    write a V8 CPU profile of each R-Stream server run next to the JSON
                               (open it in Chrome DevTools → Performance, or speedscope)
  --out FILE                   JSON results (default bench/results/<timestamp>.json)`;

const fail = (msg) => {
  console.error(`bench: ${msg}\n\n${HELP}`);
  process.exit(2);
};

export function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        sizes: { type: 'string', default: '1000,5000' },
        server: { type: 'string', default: 'embedded' },
        'pg-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
        'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
        'stop-above-ms': { type: 'string', default: '0' },
        ports: { type: 'string', default: '3850-3899' },
        'baseline-ports': { type: 'string', default: '4850-4899' },
        seconds: { type: 'string', default: '20' },
        warmup: { type: 'string', default: '3' },
        'signal-ms': { type: 'string', default: '2000' },
        'per-worker': { type: 'string', default: '2500' },
        baseline: { type: 'boolean', default: true },
        'no-baseline': { type: 'boolean', default: false },
        'baseline-tick-sizes': { type: 'string' },
        'baseline-event-sizes': { type: 'string', default: '1000,2000' },
        'keep-up-ms': { type: 'string', default: '1000' },
        'max-run-seconds': { type: 'string', default: '300' },
        'baseline-max-seconds': { type: 'string', default: '150' },
        'wait-idle': { type: 'string', default: '90' },
        'idle-pct': { type: 'string', default: '40' },
        ref: { type: 'string' },
        priority: { type: 'string', default: '0' },
        profile: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    fail(e.message);
  }
  if (parsed.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = (name, min, max) => {
    const v = Number(parsed[name]);
    if (!Number.isInteger(v) || v < min || v > max)
      fail(`--${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(parsed[name])}`);
    return v;
  };
  const list = (name, value) => {
    const sizes = String(value).split(',').filter(Boolean).map(Number);
    if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 18_000)) {
      fail(
        `--${name} must be a comma-separated list of listener counts from 1 to 18000, not ${JSON.stringify(value)}`,
      );
    }
    return sizes;
  };
  const sizes = list('sizes', parsed.sizes);
  const modes = parsed.server
    .split(',')
    .filter(Boolean)
    .map((m) => parseMode(m) ?? fail(`--server: unknown mode ${JSON.stringify(m)}`));
  const range = (name) => {
    const m = /^(\d+)-(\d+)$/.exec(parsed[name]);
    if (!m || Number(m[1]) < 1024 || Number(m[2]) > 65535 || Number(m[1]) > Number(m[2]))
      fail(`--${name} must be a port range like 4000-4099, not ${JSON.stringify(parsed[name])}`);
    return [Number(m[1]), Number(m[2])];
  };
  return {
    sizes,
    modes,
    pgUrl: parsed['pg-url'],
    redisUrl: parsed['redis-url'],
    stopAboveMs: int('stop-above-ms', 0, 60_000),
    ports: range('ports'),
    baselinePorts: range('baseline-ports'),
    seconds: int('seconds', 1, 600),
    warmup: int('warmup', 0, 120),
    signalMs: int('signal-ms', 100, 60_000),
    perWorker: int('per-worker', 1, 5000),
    baseline: parsed.baseline && !parsed['no-baseline'],
    tickSizes: parsed['baseline-tick-sizes']
      ? list('baseline-tick-sizes', parsed['baseline-tick-sizes'])
      : sizes,
    eventSizes: list('baseline-event-sizes', parsed['baseline-event-sizes']),
    keepUpMs: int('keep-up-ms', 1, 60_000),
    maxRunSeconds: int('max-run-seconds', 30, 3600),
    baselineMaxSeconds: int('baseline-max-seconds', 30, 3600),
    waitIdleSeconds: int('wait-idle', 0, 3600),
    idlePct: int('idle-pct', 1, 400),
    ref: parsed.ref ?? null,
    priority: int('priority', -20, 19),
    profile: parsed.profile,
    out: parsed.out,
    connectTimeoutSeconds: 90,
    finalTimeoutMs: 10_000,
    maxServerRssMb: 4000,
  };
}
