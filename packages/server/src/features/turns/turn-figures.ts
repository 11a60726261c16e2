import type { SpeakerTotal, Turn } from '@rstream/protocol';
import type { StoredSecond } from '../../platform/db-schema.js';

/** The level just before a turn is read over this many ms before its (lagged) start. */
export const BEFORE_WINDOW_MS = 10_000;

export type SecondRow = Omit<StoredSecond, 'avg'>;
export interface SignalPoint {
  participantId: string;
  t: number;
  level: number;
}
export interface TurnSpan {
  id: string;
  speaker: string;
  participantId: string | null;
  startT: number;
  endT: number | null;
}
export interface TurnFigures {
  avg: number | null;
  n: number;
  /** seconds that had at least one listener (the weight of `avg` in per-speaker totals) */
  seconds: number;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** A participant's level at the end of each second: the last signal before (s + 1) s. */
function levelAt(signals: SignalPoint[], endMs: number): number | null {
  let level: number | null = null;
  for (const s of signals) {
    if (s.t >= endMs) break;
    level = s.level;
  }
  return level;
}

/**
 * The listeners' figures over the seconds sampled in [fromMs, toMs) of session time, read from the stored per-second
 * aggregates with one participant (the speaker) taken out of each second's counts: their level
 * at that second comes from their own signals. (If they had left and stopped counting, the
 * subtraction still finds someone at that level only when the counts have one: never below 0.)
 */
export function windowFigures(
  seconds: SecondRow[],
  fromMs: number,
  toMs: number,
  excluded: SignalPoint[] | null,
): TurnFigures {
  let sum = 0;
  let counted = 0;
  let maxN = 0;
  for (const row of seconds) {
    // A second's row is the state its last tick saw: a sample taken at the second's very end.
    const sampleT = row.t_sec * 1000 + 999;
    if (sampleT < fromMs || sampleT >= toMs) continue;
    const c = [row.c1, row.c2, row.c3, row.c4, row.c5];
    if (excluded) {
      const own = levelAt(excluded, row.t_sec * 1000 + 1000);
      if (own !== null && c[own - 1]! > 0) c[own - 1]!--;
    }
    const n = c.reduce((a, b) => a + b, 0);
    if (n === 0) continue;
    maxN = Math.max(maxN, n);
    sum += c.reduce((a, k, i) => a + k * (i + 1), 0) / n;
    counted++;
  }
  return { avg: counted === 0 ? null : round3(sum / counted), n: maxN, seconds: counted };
}

/** Each turn's figures: the listeners, the speaker excluded, `lagMs` after the words. */
export function turnFigures(
  turns: TurnSpan[],
  seconds: SecondRow[],
  signals: SignalPoint[],
  lagMs: number,
  nowT: number,
): (Turn & { seconds: number })[] {
  const bySpeaker = new Map<string, SignalPoint[]>();
  for (const s of signals) {
    let list = bySpeaker.get(s.participantId);
    if (!list) bySpeaker.set(s.participantId, (list = []));
    list.push(s);
  }
  return turns.map((turn) => {
    const own = turn.participantId ? (bySpeaker.get(turn.participantId) ?? []) : null;
    const end = turn.endT ?? nowT;
    const during = windowFigures(seconds, turn.startT + lagMs, end + lagMs, own);
    const before = windowFigures(seconds, turn.startT + lagMs - BEFORE_WINDOW_MS, turn.startT + lagMs, own);
    const delta = during.avg !== null && before.avg !== null ? round3(during.avg - before.avg) : null;
    return { ...turn, avg: during.avg, n: during.n, delta, seconds: during.seconds };
  });
}

/** Per-speaker totals: speaking time, the time-weighted average over their turns, best and worst turn. */
export function speakerTotals(turns: (Turn & { seconds: number })[], nowT: number): SpeakerTotal[] {
  const out = new Map<string, SpeakerTotal & { weighted: number; weight: number }>();
  for (const t of turns) {
    const key = t.participantId ?? `name:${t.speaker.toLowerCase()}`;
    let total = out.get(key);
    if (!total) {
      total = {
        speaker: t.speaker,
        participantId: t.participantId,
        turns: 0,
        speakingMs: 0,
        avg: null,
        best: null,
        worst: null,
        weighted: 0,
        weight: 0,
      };
      out.set(key, total);
    }
    total.turns++;
    total.speakingMs += Math.max(0, (t.endT ?? nowT) - t.startT);
    if (t.avg !== null) {
      total.weighted += t.avg * t.seconds;
      total.weight += t.seconds;
      if (!total.best || t.avg > total.best.avg) total.best = { turnId: t.id, avg: t.avg };
      if (!total.worst || t.avg < total.worst.avg) total.worst = { turnId: t.id, avg: t.avg };
    }
  }
  return [...out.values()]
    .map(({ weighted, weight, ...rest }) => ({
      ...rest,
      avg: weight === 0 ? null : round3(weighted / weight),
    }))
    .sort((a, b) => b.speakingMs - a.speakingMs);
}
