/** Number formatting for the operations dashboard. */
export const dash = '—';

export function formatPercent(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? dash : `${(v * 100).toFixed(digits)}%`;
}

export { formatBytes } from '@rstream/protocol/light';

export function formatSeconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return dash;
  if (v >= 3600) return `${(v / 3600).toFixed(1)} h`;
  if (v >= 1) return `${v.toFixed(1)} s`;
  return `${Math.round(v * 1000)} ms`;
}

export function formatRate(v: number | null | undefined, unit = '/s'): string {
  if (v === null || v === undefined) return dash;
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}${unit}`;
}

/** uPlot wants seconds on the x axis and one array per series. */
export function toChartData(
  series: Record<string, (number | null)[]> & { t: number[] },
  keys: string[],
): (number | null)[][] {
  return [series.t.map((t) => t / 1000), ...keys.map((k) => series[k] ?? series.t.map(() => null))];
}

const ORDER = { critical: 0, warning: 1, info: 2 } as const;
/** Most urgent first: severity, then level, then newest. */
export function sortAlerts<T extends { severity: keyof typeof ORDER; level: number; startedAt: string }>(
  alerts: T[],
): T[] {
  return [...alerts].sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] || a.level - b.level || b.startedAt.localeCompare(a.startedAt),
  );
}
