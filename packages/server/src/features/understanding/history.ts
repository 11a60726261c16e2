import type { Counts, HistoryPoint } from '@rstream/protocol';
import type { StoredSecond } from '../../platform/db-schema.js';

/** The longest answer we return; wider windows get a coarser step. */
export const MAX_POINTS = 2000;

export function chooseStep(fromMs: number, toMs: number, requested?: number): number {
  const minimal = Math.ceil((toMs - fromMs + 1) / MAX_POINTS / 1000) * 1000;
  return Math.max(requested ?? 1000, minimal, 1000);
}

/**
 * Buckets per-second aggregates: average weighted by listeners, mean listener count,
 * the counts at the bucket's end. `t` is the bucket's start in ms.
 */
export function downsample(rows: StoredSecond[], stepMs: number): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  let bucket = -1;
  let sumAvgN = 0;
  let sumN = 0;
  let seconds = 0;
  let last: StoredSecond | undefined;
  const flush = () => {
    if (bucket < 0 || !last) return;
    const counts: Counts = [last.c1, last.c2, last.c3, last.c4, last.c5];
    out.push({
      t: bucket * stepMs,
      avg: sumN === 0 ? null : Math.round((sumAvgN / sumN) * 1000) / 1000,
      n: Math.round(sumN / seconds),
      counts,
    });
  };
  for (const r of rows) {
    const b = Math.floor((r.t_sec * 1000) / stepMs);
    if (b !== bucket) {
      flush();
      bucket = b;
      sumAvgN = 0;
      sumN = 0;
      seconds = 0;
    }
    if (r.avg !== null) sumAvgN += r.avg * r.n;
    sumN += r.n;
    seconds++;
    last = r;
  }
  flush();
  return out;
}

/** Per-listener lines: the last level in each bucket, and the level each had when the window opened. */
export function listenerLines(
  signals: { participantId: string; t: number; level: number }[],
  fromMs: number,
  stepMs: number,
): Map<string, { t: number; level: number }[]> {
  const lines = new Map<string, { t: number; level: number }[]>();
  for (const s of signals) {
    const t = s.t < fromMs ? fromMs : Math.floor(s.t / stepMs) * stepMs;
    let line = lines.get(s.participantId);
    if (!line) lines.set(s.participantId, (line = []));
    const prev = line[line.length - 1];
    if (prev && prev.t === t) prev.level = s.level;
    else line.push({ t, level: s.level });
  }
  return lines;
}
