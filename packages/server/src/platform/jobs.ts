import client, { type Registry } from 'prom-client';
import type { Logger } from 'pino';
import { withLease, type Locks } from './locks.js';

/** the longest delay setTimeout keeps (2^31 − 1 ms) */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type JobStatus = 'ok' | 'failed' | 'skipped';

/** What a run reports: its one log line (and a status when it is not plain `ok`). */
export type JobOutcome =
  { status?: JobStatus; line: string; details?: Record<string, unknown> } | string | void;

export interface JobSpec {
  /** unique, kebab-case: the lease key, the metric label and the log field `job` */
  name: string;
  /** a fixed period … */
  everyMs?: number;
  /** … or the next time after `now` (daily at 03:00, the next backup slot) */
  nextRunAt?: (now: Date) => Date;
  /** for `everyMs`: the first run this long after start (default: one period) */
  firstRunAfterMs?: number;
  /** false: never on a timer, only through `runNow` (a setting turned it off) */
  enabled?: boolean;
  /** the lease held while running, renewed every third of it (default 60 s) */
  leaseMs?: number;
  run(ctx: { log: Logger; slot: string }): Promise<JobOutcome>;
}

export interface JobRun {
  job: string;
  status: JobStatus;
  line: string;
  slot: string;
  startedAt: string;
  durationMs: number;
}

export interface JobInfo {
  name: string;
  enabled: boolean;
  running: boolean;
  nextAt: string | null;
  lastRun: JobRun | null;
}

export interface Jobs {
  register(spec: JobSpec): void;
  /** Runs the job here and now (an operator, a test); skipped when another run holds the lease. */
  runNow(name: string): Promise<JobRun>;
  list(): JobInfo[];
  /** Arms the timers (the app calls it when ready). */
  start(): void;
  /** Disarms them and waits for runs in progress. */
  stop(): Promise<void>;
}

/**
 * The one mechanism for periodic work. A timed run happens once per period across every
 * instance: each period's slot is claimed through `locks` (first instance wins, the claim is
 * never released, it expires), and a lease held while running keeps two runs of one job from
 * overlapping anywhere. Each run logs one line and counts in `rstream_job_runs_total`.
 */
export function createJobs(deps: {
  locks: Locks;
  instanceId: string;
  log: Logger;
  registry: Registry;
  now?: () => Date;
}): Jobs {
  const now = deps.now ?? (() => new Date());
  const specs = new Map<string, JobSpec>();
  const state = new Map<
    string,
    { timer: NodeJS.Timeout | null; nextAt: Date | null; lastRun: JobRun | null }
  >();
  const running = new Map<string, Promise<JobRun>>();
  let started = false;
  let stopped = false;

  const runs = new client.Counter({
    name: 'rstream_job_runs_total',
    help: 'Runs of periodic jobs on this instance, by job and status (skipped: another instance had it)',
    labelNames: ['job', 'status'] as const,
    registers: [deps.registry],
  });
  const duration = new client.Histogram({
    name: 'rstream_job_duration_seconds',
    help: 'How long periodic jobs ran, by job',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [deps.registry],
  });

  const spec = (name: string) => {
    const s = specs.get(name);
    if (!s) throw new Error(`No job named ${name}`);
    return s;
  };

  async function execute(s: JobSpec, slot: string): Promise<JobRun> {
    const startedAt = now();
    const log = deps.log.child({ job: s.name });
    const outcome = await withLease(deps.locks, `job:${s.name}`, deps.instanceId, s.leaseMs ?? 60_000, () =>
      s.run({ log, slot }).then(
        (o): { status: JobStatus; line: string } => {
          if (typeof o === 'string') return { status: 'ok', line: o };
          return { status: o?.status ?? 'ok', line: o?.line ?? `${s.name}: done` };
        },
        (e: unknown) => ({ status: 'failed' as const, line: `${s.name}: FAILED ${(e as Error).message}` }),
      ),
    );
    const r = outcome ?? {
      status: 'skipped' as const,
      line: `${s.name}: skipped, running on another instance`,
    };
    const run: JobRun = {
      job: s.name,
      slot,
      startedAt: startedAt.toISOString(),
      durationMs: now().getTime() - startedAt.getTime(),
      ...r,
    };
    runs.inc({ job: s.name, status: run.status });
    if (run.status !== 'skipped') duration.observe({ job: s.name }, run.durationMs / 1000);
    const fields = { job: s.name, status: run.status, slot, durationMs: run.durationMs };
    if (run.status === 'failed') deps.log.error(fields, run.line);
    else deps.log.info(fields, run.line);
    state.get(s.name)!.lastRun = run;
    return run;
  }

  function track(name: string, p: Promise<JobRun>): Promise<JobRun> {
    running.set(name, p);
    void p.finally(() => {
      if (running.get(name) === p) running.delete(name);
    });
    return p;
  }

  /** The period this moment belongs to: what instances agree on without talking. */
  const slotOf = (s: JobSpec, at: Date) =>
    s.everyMs ? String(Math.floor(at.getTime() / s.everyMs)) : at.toISOString();

  function arm(s: JobSpec, first: boolean) {
    const st = state.get(s.name)!;
    if (stopped || s.enabled === false) return;
    const t = now();
    const at = s.nextRunAt
      ? s.nextRunAt(t)
      : new Date(t.getTime() + (first ? (s.firstRunAfterMs ?? s.everyMs!) : s.everyMs!));
    st.nextAt = at;
    // setTimeout holds at most 2^31−1 ms (~24.8 days; a monthly job is further off): wait in
    // steps until `at`, or Node fires at once and the job is re-armed in a busy loop
    const wait = (fire: () => void) => {
      const left = at.getTime() - now().getTime();
      st.timer = setTimeout(
        left > MAX_TIMER_MS ? () => wait(fire) : fire,
        Math.max(0, Math.min(left, MAX_TIMER_MS)),
      );
      st.timer.unref();
    };
    wait(() => {
      st.timer = null;
      const slot = slotOf(s, s.nextRunAt ? at : now());
      const claimMs = Math.max(1000, s.everyMs ?? at.getTime() - t.getTime());
      const run = deps.locks
        .acquire(`job:${s.name}:slot:${slot}`, deps.instanceId, claimMs)
        .catch(() => false)
        .then((mine) =>
          mine
            ? execute(s, slot)
            : ({
                job: s.name,
                slot,
                status: 'skipped',
                line: `${s.name}: skipped, another instance took slot ${slot}`,
                startedAt: now().toISOString(),
                durationMs: 0,
              } satisfies JobRun),
        );
      void track(s.name, run).finally(() => arm(s, false));
    });
  }

  return {
    register(s) {
      if (specs.has(s.name)) throw new Error(`Job ${s.name} is registered twice`);
      if (!s.everyMs === !s.nextRunAt) throw new Error(`Job ${s.name}: give everyMs or nextRunAt`);
      specs.set(s.name, s);
      state.set(s.name, { timer: null, nextAt: null, lastRun: null });
      if (started) arm(s, true);
    },
    runNow(name) {
      const s = spec(name);
      return track(name, execute(s, `manual:${now().toISOString()}`));
    },
    list() {
      return [...specs.values()].map((s) => {
        const st = state.get(s.name)!;
        return {
          name: s.name,
          enabled: s.enabled !== false,
          running: running.has(s.name),
          nextAt: st.timer && st.nextAt ? st.nextAt.toISOString() : null,
          lastRun: st.lastRun,
        };
      });
    },
    start() {
      if (started) return;
      started = true;
      for (const s of specs.values()) arm(s, true);
    },
    async stop() {
      stopped = true;
      for (const st of state.values()) if (st.timer) clearTimeout(st.timer);
      await Promise.allSettled([...running.values()]);
    },
  };
}
