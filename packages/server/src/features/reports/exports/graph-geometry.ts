import type { KeyMomentKind, ReportResponse } from '@rstream/protocol';

/**
 * The report graph as plain geometry (the HTML draws it as SVG, the PDF as vector paths):
 * the per-second average, the segments' levels, the threshold, key moments as bands.
 */
export interface GraphGeometry {
  width: number;
  height: number;
  plot: { x: number; y: number; w: number; h: number };
  /** polylines of the average (a gap where nobody was counted starts a new one) */
  lines: [number, number][][];
  segments: { x1: number; x2: number; y: number }[];
  threshold: number | null;
  moments: { x1: number; x2: number; kind: KeyMomentKind; label: string }[];
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
}

/** The key moments' colours, as the web report's (apps/web/src/features/report/ReportGraph.tsx). */
export const MOMENT_COLOURS: Record<KeyMomentKind, string> = {
  drop: '#dc2626',
  recovery: '#15803d',
  low: '#b45309',
  peak: '#2563eb',
};

const clockLabel = (ms: number) => {
  const m = Math.round(ms / 60_000);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}` : `${m}′`;
};

export function graphGeometry(
  report: ReportResponse,
  seconds: { t_sec: number; avg: number | null }[],
  width: number,
  height: number,
): GraphGeometry {
  const plot = { x: 34, y: 8, w: width - 42, h: height - 30 };
  const duration = Math.max(report.summary?.durationMs ?? 0, ((seconds.at(-1)?.t_sec ?? 0) + 1) * 1000, 1000);
  const X = (ms: number) => plot.x + (Math.min(Math.max(ms, 0), duration) / duration) * plot.w;
  const Y = (level: number) => plot.y + ((5 - level) / 4) * plot.h;
  // at most ~2 points per horizontal unit: mean per bucket
  const buckets = Math.max(1, Math.ceil(seconds.length / (plot.w * 2)));
  const lines: [number, number][][] = [];
  let current: [number, number][] = [];
  for (let i = 0; i < seconds.length; i += buckets) {
    let sum = 0;
    let k = 0;
    for (let j = i; j < Math.min(seconds.length, i + buckets); j++) {
      const a = seconds[j]!.avg;
      if (a !== null) {
        sum += a;
        k++;
      }
    }
    if (k === 0) {
      if (current.length) lines.push(current);
      current = [];
      continue;
    }
    current.push([round(X(seconds[i]!.t_sec * 1000)), round(Y(sum / k))]);
  }
  if (current.length) lines.push(current);
  const step = duration > 2 * 3600_000 ? 30 : duration > 3600_000 ? 15 : duration > 20 * 60_000 ? 10 : 5;
  const xTicks: GraphGeometry['xTicks'] = [];
  for (let m = 0; m * 60_000 <= duration; m += step)
    xTicks.push({ x: round(X(m * 60_000)), label: clockLabel(m * 60_000) });
  return {
    width,
    height,
    plot,
    lines,
    segments: report.segments
      .filter((s) => s.avg !== null)
      .map((s) => ({ x1: round(X(s.startT)), x2: round(X(s.endT)), y: round(Y(s.avg!)) })),
    threshold: report.summary ? round(Y(report.summary.threshold)) : null,
    moments: report.keyMoments.map((m, i) => ({
      x1: round(X(m.startT)),
      x2: round(Math.max(X(m.endT), X(m.startT) + 2)),
      kind: m.kind,
      label: String(i + 1),
    })),
    yTicks: [1, 2, 3, 4, 5].map((l) => ({ y: round(Y(l)), label: String(l) })),
    xTicks,
  };
}

const round = (v: number) => Math.round(v * 10) / 10;
