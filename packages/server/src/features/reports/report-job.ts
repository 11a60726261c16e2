import type { Logger } from 'pino';
import type { ReportsRepo } from './reports-repo.js';
import type { ReportsService } from './reports-service.js';

/**
 * The report job: once per ended session across every instance (the database claim decides
 * who makes it; a crashed instance's claim expires), retried with a growing wait when it
 * fails, pending → ready | failed. Triggered by `session.ended`, and by the sweep (a platform
 * job) that picks up ended sessions without a ready report (a restart, an older session).
 */
export interface ReportJobDeps {
  repo: ReportsRepo;
  service: ReportsService;
  instanceId: string;
  log: Logger;
  delayMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** the live path's pending writes, flushed before the last seconds are read */
  flush?: () => Promise<void>;
}

export type JobOutcome = 'ready' | 'retry' | 'failed' | 'skipped';

/** Long enough for a 3-hour session; a crashed generator's claim frees after this. */
const CLAIM_LEASE_MS = 5 * 60_000;

export function createReportJob(deps: ReportJobDeps) {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let closed = false;

  async function runOne(sessionId: string, force = false): Promise<JobOutcome> {
    const claimed = await deps.repo.claim(sessionId, deps.instanceId, CLAIM_LEASE_MS, force);
    if (!claimed) return 'skipped';
    const started = Date.now();
    try {
      await deps.flush?.();
      const result = await deps.service.generate(sessionId, deps.instanceId);
      deps.log.info(
        { sessionId, ms: Date.now() - started, moments: result.keyMoments.length },
        'report ready',
      );
      return 'ready';
    } catch (err) {
      const attempt = claimed.attempts + 1;
      const retryAt = new Date(Date.now() + deps.retryBaseMs * 2 ** (attempt - 1));
      const message = err instanceof Error ? err.message : String(err);
      await deps.repo
        .markFailed(sessionId, deps.instanceId, message, deps.maxAttempts, retryAt)
        .catch((e) => deps.log.error({ err: e, sessionId }, 'could not record a failed report'));
      const last = attempt >= deps.maxAttempts;
      deps.log.warn({ err, sessionId, attempt, last }, last ? 'report failed' : 'report failed; will retry');
      if (!last) schedule(sessionId, retryAt.getTime() - Date.now());
      return last ? 'failed' : 'retry';
    }
  }

  function track<T>(p: Promise<T>): Promise<T> {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => {});
    return p;
  }

  function schedule(sessionId: string, inMs: number) {
    if (closed) return;
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void track(runOne(sessionId)).catch((err) =>
          deps.log.error({ err, sessionId }, 'report job crashed'),
        );
      },
      Math.max(0, inMs),
    );
    timer.unref();
    timers.add(timer);
  }

  /** Ended sessions without a ready report (run by the `report-sweep` job, once across instances). */
  async function sweep(): Promise<number> {
    let made = 0;
    for (const id of await deps.repo.due(20, deps.maxAttempts)) {
      if (closed) break;
      await deps.repo.ensurePending(id, new Date());
      if ((await track(runOne(id))) === 'ready') made++;
    }
    return made;
  }

  return {
    runOne,
    sweep,
    /** The session ended: a pending report now, made once the last seconds are written. */
    async sessionEnded(sessionId: string): Promise<void> {
      await deps.repo.ensurePending(sessionId, new Date(Date.now() + deps.delayMs));
      schedule(sessionId, deps.delayMs);
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
export type ReportJob = ReturnType<typeof createReportJob>;
