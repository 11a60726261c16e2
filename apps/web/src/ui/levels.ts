/** Okabe–Ito based palette: distinguishable under deuteranopia; always shown with the number. */
export const LEVELS = [1, 2, 3, 4, 5] as const;
export type LevelValue = (typeof LEVELS)[number];

export const LEVEL_COLORS: Record<LevelValue, string> = {
  1: '#d55e00',
  2: '#e69f00',
  3: '#f0e442',
  4: '#56b4e9',
  5: '#0072b2',
};

/** Text colour with at least 4.5:1 contrast on the level colour. */
export const LEVEL_TEXT: Record<LevelValue, string> = {
  1: '#000000',
  2: '#000000',
  3: '#000000',
  4: '#000000',
  5: '#ffffff',
};

export function isLevel(n: unknown): n is LevelValue {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 5;
}

export function clampLevel(n: number): LevelValue {
  return Math.min(5, Math.max(1, Math.round(n))) as LevelValue;
}

/** Colour for an average (1.0–5.0): the nearest level's colour. */
export function colorForAverage(avg: number | null): string {
  return avg === null ? '#6b7785' : LEVEL_COLORS[clampLevel(avg)];
}

/** The i18n key of a level's short description. */
export function levelKey(level: LevelValue): `level.${LevelValue}` {
  return `level.${level}`;
}
