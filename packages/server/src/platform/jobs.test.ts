import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJobs, type JobRun, type Jobs } from './jobs.js';
import { createMemoryLocks } from './locks.js';

const until = async (what: string, ok: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const silent = pino({ level: 'silent' });

describe('jobs', () => {
  it('runs a periodic job once per period across instances that share the locks', async () => {
    const locks = createMemoryLocks();
    const runs: { instance: string; slot: string }[] = [];
    const instances: Jobs[] = [];
    for (const id of ['a', 'b', 'c']) {
      const jobs = createJobs({ locks, instanceId: id, log: silent, registry: new Registry() });
      jobs.register({
        name: 'tidy',
        everyMs: 100,
        async run({ slot }) {
          runs.push({ instance: id, slot });
          return `tidied ${slot}`;
        },
      });
      jobs.start();
      instances.push(jobs);
    }
    await until('four periods', () => new Set(runs.map((r) => r.slot)).size >= 4);
    await Promise.all(instances.map((j) => j.stop()));
    const perSlot = new Map<string, number>();
    for (const r of runs) perSlot.set(r.slot, (perSlot.get(r.slot) ?? 0) + 1);
    expect(
      [...perSlot.values()].every((n) => n === 1),
      JSON.stringify(runs),
    ).toBe(true);
  });

  it('runs now on demand, reports status, logs one line and counts the run in the metric', async () => {
    const registry = new Registry();
    const lines: { msg: string; status: string }[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const jobs = createJobs({ locks: createMemoryLocks(), instanceId: 'x', log, registry });
    let fail = false;
    jobs.register({
      name: 'prune',
      everyMs: 3_600_000,
      async run() {
        if (fail) throw new Error('disk full');
        return { line: 'pruned 3 files', details: { removed: 3 } };
      },
    });
    const ok: JobRun = await jobs.runNow('prune');
    expect(ok).toMatchObject({ job: 'prune', status: 'ok', line: 'pruned 3 files' });
    fail = true;
    const failed = await jobs.runNow('prune');
    expect(failed).toMatchObject({ status: 'failed', line: 'prune: FAILED disk full' });
    expect(jobs.list()).toEqual([
      expect.objectContaining({ name: 'prune', enabled: true, running: false, lastRun: failed }),
    ]);
    expect(lines.map((l) => [l.msg, l.status])).toEqual([
      ['pruned 3 files', 'ok'],
      ['prune: FAILED disk full', 'failed'],
    ]);
    const text = await registry.metrics();
    expect(text).toContain('rstream_job_runs_total{job="prune",status="ok"} 1');
    expect(text).toContain('rstream_job_runs_total{job="prune",status="failed"} 1');
    await jobs.stop();
  });

  it('skips a run while another instance still holds the job', async () => {
    const locks = createMemoryLocks();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const mk = (id: string) => {
      const jobs = createJobs({ locks, instanceId: id, log: silent, registry: new Registry() });
      jobs.register({
        name: 'backup',
        everyMs: 3_600_000,
        run: () => (started.push(id), held.then(() => 'done')),
      });
      return jobs;
    };
    const a = mk('a');
    const b = mk('b');
    const first = a.runNow('backup');
    await until('a to be running under the lease', () => started.includes('a'));
    const second = await b.runNow('backup');
    expect(second.status).toBe('skipped');
    expect(started).toEqual(['a']);
    release();
    expect((await first).status).toBe('ok');
  });
  describe('a delay longer than setTimeout holds (2^31 − 1 ms, ~24.8 days)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('does not fire at once, and fires once when its time comes', async () => {
      vi.useFakeTimers({ now: new Date('2026-01-01T04:00:00Z') });
      const runs: string[] = [];
      const due = new Date('2026-02-15T04:00:00Z'); // 45 days on: past the timer's limit
      const jobs = createJobs({
        locks: createMemoryLocks(),
        instanceId: 'x',
        log: silent,
        registry: new Registry(),
        now: () => new Date(),
      });
      jobs.register({
        name: 'monthly-audit',
        nextRunAt: (t) => (t < due ? due : new Date(due.getTime() + 45 * 86_400_000)),
        async run({ slot }) {
          runs.push(slot);
          return 'audited';
        },
      });
      jobs.start();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(runs).toEqual([]);
      expect(jobs.list()[0]!.nextAt).toBe(due.toISOString());
      // one step short of the due time: still nothing (the first step ended ~24.8 days in)
      await vi.advanceTimersByTimeAsync(due.getTime() - Date.now() - 1000);
      expect(runs).toEqual([]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(runs).toEqual([due.toISOString()]);
      await jobs.stop();
    });
  });
});
