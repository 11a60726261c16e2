import type { LevelMap } from '../../realtime/participant-levels';
import type { Cohort } from './types';

export interface VideoPoint {
  avg: number | null;
  n: number;
  /** the video stood still when these signals were given */
  paused: boolean;
}

/** A forward jump of at most this many seconds between two played updates is filled (late ticks). */
const MAX_CARRY_GAP_S = 3;

/**
 * The understanding on the VIDEO's own time axis, one value per second of video: fed by
 * `understanding:update` (which carries `videoMs` and `videoPlaying` in video sessions; while the
 * video plays the server sends one per played second) and by `GET /understanding?axis=video`
 * after a reload. Dense: every played second gets this showing's average and each listener's
 * level CARRIED from the latest update (a level given while paused counts from the next played
 * second on); a second or two the updates skipped (a late tick) gets the values before it. A
 * second watched twice (after a seek back) keeps its latest value; signals given while paused land
 * on the paused second, flagged.
 */
export class VideoTimeline {
  readonly points = new Map<number, VideoPoint>();
  /** participantId → second → level (the speaker's view) */
  readonly lines = new Map<string, Map<number, number>>();
  version = 0;
  /** the latest levels and average seen (paused or not): what the next played second carries */
  private carried: { levels: LevelMap; avg: number | null; n: number } = {
    levels: new Map(),
    avg: null,
    n: 0,
  };
  private lastPlayedSec: number | null = null;

  add(
    update: { videoMs?: number | null; videoPlaying?: boolean; avg: number | null; n: number },
    levels?: LevelMap,
  ) {
    if (typeof update.videoMs !== 'number' || !Number.isFinite(update.videoMs)) return false;
    const sec = Math.max(0, Math.floor(update.videoMs / 1000));
    const paused = update.videoPlaying === false;
    const before = this.carried;
    const now = { levels: levels ?? before.levels, avg: update.avg, n: update.n };
    this.carried = now;
    if (paused) {
      const prev = this.points.get(sec);
      // A paused signal on a watched second does not hide the watched value.
      if (!(prev && !prev.paused)) this.points.set(sec, { avg: update.avg, n: update.n, paused: true });
      this.lastPlayedSec = null;
    } else {
      const last = this.lastPlayedSec;
      if (last !== null && sec > last + 1 && sec - last <= MAX_CARRY_GAP_S)
        for (let s = last + 1; s < sec; s++) this.setPlayed(s, before);
      this.setPlayed(sec, now);
      this.lastPlayedSec = sec;
    }
    this.version++;
    return true;
  }

  private setPlayed(sec: number, v: { levels: LevelMap; avg: number | null; n: number }) {
    this.points.set(sec, { avg: v.avg, n: v.n, paused: false });
    for (const [id, level] of v.levels) {
      let line = this.lines.get(id);
      if (!line) this.lines.set(id, (line = new Map()));
      line.set(sec, level);
    }
  }

  /** Each line's level at its latest second of video (null: none yet). */
  latestLevel(id: string): number | null {
    const line = this.lines.get(id);
    if (!line || line.size === 0) return null;
    let best = -1;
    for (const s of line.keys()) if (s > best) best = s;
    return line.get(best)!;
  }

  load(points: readonly { t: number; avg: number | null; n: number; paused?: boolean }[]): void {
    for (const p of points) {
      const sec = Math.max(0, Math.floor(p.t / 1000));
      if (!this.points.has(sec)) this.points.set(sec, { avg: p.avg, n: p.n, paused: p.paused === true });
    }
    this.version++;
  }

  lastSecond(): number {
    let max = 0;
    for (const s of this.points.keys()) if (s > max) max = s;
    return max;
  }

  /**
   * uPlot data: x = every second 0…end; then this showing's average (played seconds), the
   * paused markers, each listener's line and each earlier cohort's average.
   */
  toAligned(endSec: number, lineIds: readonly string[], cohorts: readonly Cohort[]): (number | null)[][] {
    const n = Math.max(1, Math.ceil(endSec) + 1);
    const xs = Array.from({ length: n }, (_, i) => i);
    const avg: (number | null)[] = new Array(n).fill(null);
    const paused: (number | null)[] = new Array(n).fill(null);
    for (const [s, p] of this.points) {
      if (s >= n) continue;
      if (p.paused) paused[s] = p.avg;
      else avg[s] = p.avg;
    }
    const lines = lineIds.map((id) => {
      const ys: (number | null)[] = new Array(n).fill(null);
      for (const [s, level] of this.lines.get(id) ?? []) if (s < n) ys[s] = level;
      return ys;
    });
    const others = cohorts.map((c) => {
      const ys: (number | null)[] = new Array(n).fill(null);
      for (const p of c.points) {
        const s = Math.floor(p.t / 1000);
        if (s >= 0 && s < n) ys[s] = p.avg;
      }
      return ys;
    });
    return [xs, avg, paused, ...lines, ...others];
  }
}
