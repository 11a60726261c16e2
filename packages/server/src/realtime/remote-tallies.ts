import type { Counts } from '@rstream/protocol';
import { aggregate, type Tally } from './tally.js';

/** A partial tally as exchanged between instances: full levels for small rooms, deltas above. */
export interface PartialTally {
  s: string;
  c: Counts;
  /** every counted level of the sender (small rooms) */
  f?: [string, number][];
  /** levels changed since the sender's previous partial (null = no longer counted) */
  d?: [string, number | null][];
}

/** What another instance last told us about its listeners in this session. */
interface RemotePartial {
  counts: Counts;
  levels: Map<string, number>;
  expiresAt: number;
}

export interface MergedState {
  n: number;
  avg: number | null;
  counts: Counts;
}

/**
 * One room's view of the other instances' listeners, merged with the local tally by participant
 * identity: a listener counted by two instances (it moved, or an instance died and its partial has
 * not expired yet) counts once — where it is connected now. Identity needs the sender's full level
 * map; a partial whose levels do not add up to its counts (deltas missed) falls back to counts.
 */
export class RemoteTallies {
  private readonly byInstance = new Map<string, RemotePartial>();
  private version = 0;
  private memo: { version: number; state: MergedState } | null = null;

  constructor(
    private readonly local: Tally,
    /** true when the participant has a socket open on this instance */
    private readonly connectedHere: (participantId: string) => boolean,
    /** tells the room which levels changed (null: no longer counted) */
    private readonly onChange: (participantId: string, level: number | null) => void,
  ) {}

  get size(): number {
    return this.byInstance.size;
  }

  /** Merges another instance's partial; true when anything changed. */
  apply(instanceId: string, p: PartialTally, now: number, ttlMs: number): boolean {
    let r = this.byInstance.get(instanceId);
    if (!r)
      this.byInstance.set(instanceId, (r = { counts: [0, 0, 0, 0, 0], levels: new Map(), expiresAt: 0 }));
    r.expiresAt = now + ttlMs;
    let changed = r.counts.some((c, i) => c !== p.c[i]);
    r.counts = p.c;
    if (p.f) {
      const next = new Map(p.f);
      for (const [id, level] of next)
        if (r.levels.get(id) !== level) {
          this.onChange(id, level);
          changed = true;
        }
      for (const id of r.levels.keys())
        if (!next.has(id)) {
          this.onChange(id, null);
          changed = true;
        }
      r.levels = next;
    } else if (p.d) {
      for (const [id, level] of p.d) {
        if (level === null) r.levels.delete(id);
        else r.levels.set(id, level);
        this.onChange(id, level);
        changed = true;
      }
    }
    if (changed) this.version++;
    return changed;
  }

  /** Drops partials of instances that stopped talking (no ghost listeners); true when any went. */
  expire(now: number): boolean {
    let any = false;
    for (const [id, r] of this.byInstance) {
      if (r.expiresAt > now) continue;
      this.byInstance.delete(id);
      for (const pid of r.levels.keys()) if (this.local.get(pid) === undefined) this.onChange(pid, null);
      any = true;
    }
    if (any) this.version++;
    return any;
  }

  /** Call when the local tally changed (the merged state is cached between changes). */
  localChanged(): void {
    this.version++;
  }

  /** Locally counted but not connected here, and another instance counts them: they count there. */
  private countedElsewhere(id: string): boolean {
    return !this.connectedHere(id) && this.level(id) !== undefined;
  }

  /** The session's aggregate: the local tally plus every live partial, each listener once. */
  merged(): MergedState {
    if (this.byInstance.size === 0)
      return { n: this.local.n, avg: this.local.avg, counts: this.local.counts() };
    if (this.memo && this.memo.version === this.version) return this.memo.state;
    const parts: Counts[] = [];
    const local = this.local.counts();
    const seen = new Set<string>();
    for (const r of this.freshestFirst()) {
      const consistent = r.levels.size === r.counts.reduce((a, b) => a + b, 0);
      if (!consistent) {
        parts.push(r.counts);
        continue;
      }
      const c: Counts = [0, 0, 0, 0, 0];
      for (const [id, level] of r.levels) {
        if (seen.has(id)) continue;
        seen.add(id);
        const mine = this.local.get(id);
        if (mine !== undefined) {
          if (this.connectedHere(id)) continue; // counted here, where they are connected
          local[mine - 1]!--;
        }
        c[level - 1]!++;
      }
      parts.push(c);
    }
    const state = aggregate([local, ...parts]);
    this.memo = { version: this.version, state };
    return state;
  }

  /** Every counted listener's level, wherever they are connected (each once). */
  allLevels(): [string, number][] {
    const out: [string, number][] = [];
    for (const e of this.local.entries()) if (!this.countedElsewhere(e[0])) out.push(e);
    const seen = new Set<string>();
    for (const r of this.freshestFirst())
      for (const [id, level] of r.levels) {
        if (seen.has(id)) continue;
        seen.add(id);
        if (this.local.get(id) === undefined || !this.connectedHere(id)) out.push([id, level]);
      }
    return out;
  }

  /** A participant's level as another instance counts it (the freshest), if any does. */
  level(participantId: string): number | undefined {
    for (const r of this.freshestFirst()) {
      const l = r.levels.get(participantId);
      if (l !== undefined) return l;
    }
    return undefined;
  }

  private freshestFirst(): RemotePartial[] {
    const list = [...this.byInstance.values()];
    if (list.length > 1) list.sort((a, b) => b.expiresAt - a.expiresAt);
    return list;
  }
}
