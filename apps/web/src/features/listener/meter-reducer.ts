import type { SignalStyle } from '@rstream/protocol';
import { clampLevel, type LevelValue } from '../../ui/levels';

export const NEUTRAL_LEVEL: LevelValue = 3;
/** While an arrow is held in momentary style, the level keeps moving one step this often. */
export const MOMENTARY_REPEAT_MS = 400;

export type Dir = -1 | 1;
export type Held = { kind: 'arrow'; dir: Dir } | { kind: 'direct'; source: string } | null;

export interface MeterState {
  style: SignalStyle;
  level: LevelValue | null;
  held: Held;
  /** Bumped on every change the user made (not on a restore): the page sends the level then. */
  userSeq: number;
}

export type MeterAction =
  /** A direct choice that stays (tap in sticky style, or a plain set). */
  | { type: 'set'; level: number }
  /** ← (−1) or → (+1) went down. */
  | { type: 'press'; dir: Dir }
  /** Timer tick while an arrow is held (momentary only). */
  | { type: 'repeat' }
  /** Momentary: a number key / button / slider is held at this level. Sticky: same as set. */
  | { type: 'hold'; level: number; source: string }
  /** Momentary: the key/pointer was let go → back to neutral 3. `source` limits what is released. */
  | { type: 'release'; source?: string; dir?: Dir }
  /** The server's level after (re)connecting. */
  | { type: 'restore'; level: number | null }
  | { type: 'setStyle'; style: SignalStyle };

export function initialMeter(style: SignalStyle): MeterState {
  return { style, level: style === 'momentary' ? NEUTRAL_LEVEL : null, held: null, userSeq: 0 };
}

function change(state: MeterState, level: LevelValue | null, held: Held): MeterState {
  if (level === state.level) return held === state.held ? state : { ...state, held };
  return { ...state, level, held, userSeq: state.userSeq + 1 };
}

/** The understanding meter: sticky levels stay; momentary ones move while held and return to 3. */
export function meterReducer(state: MeterState, action: MeterAction): MeterState {
  const momentary = state.style === 'momentary';
  switch (action.type) {
    case 'set':
      return change(state, clampLevel(action.level), momentary ? state.held : null);
    case 'press': {
      const next = clampLevel((state.level ?? NEUTRAL_LEVEL) + action.dir);
      return change(state, next, momentary ? { kind: 'arrow', dir: action.dir } : null);
    }
    case 'repeat': {
      if (!momentary || state.held?.kind !== 'arrow') return state;
      return change(state, clampLevel((state.level ?? NEUTRAL_LEVEL) + state.held.dir), state.held);
    }
    case 'hold':
      if (!momentary) return change(state, clampLevel(action.level), null);
      return change(state, clampLevel(action.level), { kind: 'direct', source: action.source });
    case 'release': {
      const h = state.held;
      if (!momentary || !h) return state;
      const matches =
        action.source === undefined ||
        (h.kind === 'direct' && h.source === action.source) ||
        (h.kind === 'arrow' &&
          action.source === 'arrow' &&
          (action.dir === undefined || action.dir === h.dir));
      return matches ? change(state, NEUTRAL_LEVEL, null) : state;
    }
    case 'restore': {
      if (state.held) return state;
      if (momentary) {
        // At rest a momentary meter is neutral; if the server remembered something else, correct it.
        return action.level === NEUTRAL_LEVEL
          ? { ...state, level: NEUTRAL_LEVEL }
          : { ...state, level: NEUTRAL_LEVEL, userSeq: state.userSeq + 1 };
      }
      return { ...state, level: action.level === null ? null : clampLevel(action.level) };
    }
    case 'setStyle': {
      if (action.style === state.style) return state;
      const next = { ...state, style: action.style, held: null };
      return action.style === 'momentary' ? change(next, NEUTRAL_LEVEL, null) : next;
    }
  }
}
