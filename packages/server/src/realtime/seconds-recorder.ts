import type { Counts } from '@rstream/protocol';
import type { SecondPartialInsert, SecondRecord } from './records.js';
import type { MergedState } from './remote-tallies.js';

/** What a second looked like: the session's merged state and this instance's own counts. */
export interface SecondState {
  merged: MergedState;
  local: Counts;
}

/**
 * One row per elapsed second of a live session: the state seen by the last tick inside that
 * second (so a signal from the next second never leaks into it). The lease holder queues the
 * merged row; every other instance queues its own counts as a partial (summed in the database,
 * replaced by the merged row when there is one), so a second is never lost when the lease holder
 * dies or Redis cannot decide who holds it.
 */
export class SecondsRecorder {
  lastSecond = -1;
  private snap: { sec: number; state: SecondState; role: 'merged' | 'partial' } | null = null;
  pendingSeconds: SecondRecord[] = [];
  pendingPartials: SecondPartialInsert[] = [];

  constructor(
    private readonly sessionId: string,
    private readonly instanceId: () => string,
  ) {}

  reset(): void {
    this.lastSecond = -1;
    this.snap = null;
  }

  /** Called on every tick with the current second and state. */
  record(sec: number, state: SecondState, role: 'merged' | 'partial', final = false): void {
    const snap = this.snap;
    if (snap && snap.sec < sec) {
      // Seconds without a tick (a stalled process) repeat the last state, at most a minute of them.
      const from = Math.max(this.lastSecond + 1, snap.sec, sec - 60);
      for (let s = from; s < sec; s++) this.push(s, snap.state, snap.role);
      this.lastSecond = Math.max(this.lastSecond, sec - 1);
    }
    this.snap = { sec, state, role };
    if (final && sec > this.lastSecond) {
      this.push(sec, state, role);
      this.lastSecond = sec;
      this.snap = null;
    }
  }

  private push(t_sec: number, { merged, local }: SecondState, role: 'merged' | 'partial'): void {
    if (role === 'partial') {
      const [c1, c2, c3, c4, c5] = local;
      this.pendingPartials.push({
        session_id: this.sessionId,
        t_sec,
        instance_id: this.instanceId(),
        c1,
        c2,
        c3,
        c4,
        c5,
      });
      return;
    }
    const c = merged.counts;
    this.pendingSeconds.push({
      session_id: this.sessionId,
      t_sec,
      avg: merged.avg,
      n: merged.n,
      c1: c[0],
      c2: c[1],
      c3: c[2],
      c4: c[3],
      c5: c[4],
    });
  }

  take(): { seconds: SecondRecord[]; partials: SecondPartialInsert[] } {
    const out = { seconds: this.pendingSeconds, partials: this.pendingPartials };
    this.pendingSeconds = [];
    this.pendingPartials = [];
    return out;
  }

  get pending(): number {
    return this.pendingSeconds.length + this.pendingPartials.length;
  }
}
