import type { Counts, HistoryResponse } from '@rstream/protocol';
import type { LevelMap } from '../realtime/participant-levels';
import { distributionBand } from './distribution';

/** Per-listener lines are only kept while the audience is small enough to draw them. */
export const LINE_TRACK_LIMIT = 60;
/** Past this many points, older ones are merged into coarser buckets (long sessions stay light). */
export const MAX_POINTS = 6000;

export type SeriesKey = 'avg' | 'min' | 'p25' | 'p75' | 'max' | `line:${string}`;

/**
 * The graph's data, append-only and mutable (kept out of React state): one point per
 * understanding update, plus what the history endpoint returned. Times are ms since start.
 */
export class Timeline {
  t: number[] = [];
  avg: (number | null)[] = [];
  n: number[] = [];
  min: (number | null)[] = [];
  p25: (number | null)[] = [];
  p75: (number | null)[] = [];
  max: (number | null)[] = [];
  lines = new Map<string, (number | null)[]>();
  trackLines = true;
  /** Bumped on every change; React re-renders the chart when it moves. */
  version = 0;
  /** Bucket width of the last compaction (0 = raw points). */
  private compactMs = 0;

  get length(): number {
    return this.t.length;
  }

  lastT(): number | null {
    return this.t.length ? (this.t[this.t.length - 1] as number) : null;
  }

  reset(): void {
    this.t = [];
    this.avg = [];
    this.n = [];
    this.min = [];
    this.p25 = [];
    this.p75 = [];
    this.max = [];
    this.lines.clear();
    this.trackLines = true;
    this.compactMs = 0;
    this.version++;
  }

  /**
   * Adds a point at `t`. A point at the same t replaces the last one; an older one is dropped.
   * `levels` (when given) is everyone's current level: it extends the per-listener lines.
   */
  addPoint(
    t: number,
    avg: number | null,
    n: number,
    counts: Counts | null,
    levels?: LevelMap | null,
  ): boolean {
    const last = this.lastT();
    if (last !== null && t < last) return false;
    const idx = last !== null && t === last ? this.t.length - 1 : this.t.length;
    const band = counts ? distributionBand(counts) : null;
    this.t[idx] = t;
    this.avg[idx] = avg;
    this.n[idx] = n;
    this.min[idx] = band?.min ?? null;
    this.p25[idx] = band?.p25 ?? null;
    this.p75[idx] = band?.p75 ?? null;
    this.max[idx] = band?.max ?? null;
    if (levels) this.setLevelsAt(idx, levels);
    else for (const line of this.lines.values()) line[idx] = line[idx - 1] ?? null;
    if (this.t.length > MAX_POINTS) this.compact();
    this.version++;
    return true;
  }

  /** Keeps the last point of each bucket (1 s, then 2 s, 4 s…) until half the limit is left. */
  private compact(): void {
    do {
      this.compactMs = Math.max(1000, this.compactMs * 2);
      const keep: number[] = [];
      for (let i = 0; i < this.t.length; i++) {
        const bucket = Math.floor((this.t[i] as number) / this.compactMs);
        const next = this.t[i + 1];
        if (next === undefined || Math.floor(next / this.compactMs) !== bucket) keep.push(i);
      }
      const pick = <T>(arr: T[]) => keep.map((i) => arr[i] as T);
      this.t = pick(this.t);
      this.avg = pick(this.avg);
      this.n = pick(this.n);
      this.min = pick(this.min);
      this.p25 = pick(this.p25);
      this.p75 = pick(this.p75);
      this.max = pick(this.max);
      for (const [id, line] of this.lines) this.lines.set(id, pick(line));
    } while (this.t.length > MAX_POINTS / 2);
  }

  private setLevelsAt(idx: number, levels: LevelMap): void {
    if (!this.trackLines) return;
    if (levels.size > LINE_TRACK_LIMIT) {
      this.trackLines = false;
      this.lines.clear();
      return;
    }
    for (const [id, level] of levels) {
      let line = this.lines.get(id);
      if (!line) {
        line = new Array<number | null>(idx).fill(null);
        this.lines.set(id, line);
      }
      line[idx] = level;
    }
    for (const [id, line] of this.lines) if (!levels.has(id)) line[idx] = null;
  }

  /** Replaces everything with the history endpoint's answer (a reload shows the past graph). */
  loadHistory(history: HistoryResponse): void {
    this.reset();
    for (const p of history.points) this.addPoint(p.t, p.avg, p.n, p.counts, null);
    const index = new Map(this.t.map((t, i) => [t, i]));
    const participants = history.participants ?? [];
    if (participants.length > LINE_TRACK_LIMIT) {
      this.trackLines = false;
      return;
    }
    // Per-listener points are sparse (a point where the level changed): a level holds until the next.
    for (const p of participants) {
      const line = new Array<number | null>(this.t.length).fill(null);
      const sorted = [...p.points].sort((a, b) => a.t - b.t);
      sorted.forEach((pt, k) => {
        const from = index.get(pt.t) ?? nearestIndexAtOrBefore(this.t, pt.t);
        if (from === null) return;
        const next = sorted[k + 1];
        const until = next
          ? (index.get(next.t) ?? nearestIndexAtOrBefore(this.t, next.t) ?? from + 1)
          : line.length;
        for (let i = from; i < Math.max(from + 1, until); i++) line[i] = pt.level;
      });
      this.lines.set(p.participantId, line);
    }
    this.version++;
  }

  series(key: SeriesKey): (number | null)[] {
    if (key.startsWith('line:')) return this.lines.get(key.slice(5)) ?? [];
    return this[key as Exclude<SeriesKey, `line:${string}`>];
  }

  /**
   * uPlot's aligned data: x in seconds, then one array per series key. When `nowT` is later than
   * the last point, the last values are repeated there so the stepped lines reach "now".
   */
  toAligned(keys: readonly SeriesKey[], nowT: number | null): [number[], ...(number | null)[][]] {
    const len = this.t.length;
    const extend = nowT !== null && len > 0 && nowT > (this.t[len - 1] as number);
    const xs = this.t.map((t) => t / 1000);
    if (extend) xs.push(nowT / 1000);
    const ys = keys.map((key) => {
      const src = this.series(key);
      const out = new Array<number | null>(xs.length);
      for (let i = 0; i < len; i++) out[i] = src[i] ?? null;
      if (extend) out[len] = src[len - 1] ?? null;
      return out;
    });
    return [xs, ...ys];
  }
}

function nearestIndexAtOrBefore(sorted: readonly number[], t: number): number | null {
  let lo = 0;
  let hi = sorted.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
