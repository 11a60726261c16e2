import uPlot from 'uplot';
import { formatDuration } from '../ui/format';
import { LEVEL_COLORS } from '../ui/levels';
import type { SeriesKey } from './timeline';

export type SeriesKind = 'avg' | 'line' | 'me' | 'p25' | 'p75' | 'min' | 'max';

export interface ChartSeriesSpec {
  key: SeriesKey;
  label: string;
  kind: SeriesKind;
}

export interface TooltipRow {
  label: string;
  value: string;
  color: string;
  strong?: boolean;
}

export interface WarningSpan {
  /** ms since start */
  from: number;
  /** null while the warning is still active */
  to: number | null;
}

export interface ChartConfig {
  series: ChartSeriesSpec[];
  /** Dashed line at the warning threshold. */
  threshold?: number | null;
  /** Shaded where the warning was active (read on every draw). */
  warningSpans?: () => readonly WarningSpan[];
  /** Tooltip rows for a data index of the chart's current data; the focused series index, if any. */
  tooltip?: (data: uPlot.AlignedData, idx: number, focusedSeries: number | null) => TooltipRow[];
  timeLabel: string;
  /** Extra uPlot plugins (e.g. the discussion's turn bands). */
  plugins?: uPlot.Plugin[];
}

export const AVG_COLOR = '#c8102e';
const LINE_COLOR = 'rgba(30, 80, 120, 0.30)';
const ME_COLOR = '#0072b2';
const BAND_EDGE = 'rgba(0, 114, 178, 0.55)';
const BAND_FILL = 'rgba(86, 180, 233, 0.28)';
const RANGE_COLOR = 'rgba(70, 70, 70, 0.55)';

const stepped = uPlot.paths.stepped?.({ align: 1 });

function seriesOptions(spec: ChartSeriesSpec): uPlot.Series {
  const base: uPlot.Series = { label: spec.label, paths: stepped, points: { show: false }, spanGaps: false };
  switch (spec.kind) {
    case 'avg':
      return { ...base, stroke: AVG_COLOR, width: 3.5 };
    case 'me':
      return { ...base, stroke: ME_COLOR, width: 2.5, dash: [8, 4] };
    case 'line':
      return { ...base, stroke: LINE_COLOR, width: 1.5 };
    case 'p25':
    case 'p75':
      return { ...base, stroke: BAND_EDGE, width: 1 };
    case 'min':
    case 'max':
      return { ...base, stroke: RANGE_COLOR, width: 1, dash: [3, 4] };
  }
}

function tooltipPlugin(cfg: ChartConfig): uPlot.Plugin {
  let tip: HTMLDivElement | null = null;
  let focused: number | null = null;
  return {
    hooks: {
      init: (u) => {
        tip = document.createElement('div');
        tip.className =
          'pointer-events-none absolute z-10 hidden max-w-64 rounded-lg border border-slate-300 bg-white/95 px-3 py-2 text-sm shadow-lg';
        tip.setAttribute('aria-hidden', 'true');
        u.over.appendChild(tip);
      },
      setSeries: (_u, idx, opts) => {
        // uPlot passes {focus} here although the typings say Series.
        const focus = (opts as { focus?: boolean }).focus;
        if (idx === null) focused = null;
        else if (focus !== undefined) focused = focus ? idx : null;
      },
      setCursor: (u) => {
        if (!tip || !cfg.tooltip) return;
        const idx = u.cursor.idx;
        const left = u.cursor.left ?? -1;
        if (idx === null || idx === undefined || left < 0) {
          tip.classList.add('hidden');
          return;
        }
        const x = u.data[0][idx] ?? 0;
        const rows = cfg.tooltip(u.data, idx, focused);
        tip.replaceChildren();
        const head = document.createElement('div');
        head.className = 'mb-1 font-semibold tabular-nums text-slate-600';
        head.textContent = formatDuration(x * 1000);
        tip.appendChild(head);
        for (const row of rows) {
          const line = document.createElement('div');
          line.className = `flex items-center gap-2 ${row.strong ? 'font-bold' : ''}`;
          const dot = document.createElement('span');
          dot.className = 'inline-block h-2.5 w-2.5 shrink-0 rounded-full';
          dot.style.background = row.color;
          const name = document.createElement('span');
          name.className = 'truncate';
          name.textContent = row.label;
          const value = document.createElement('span');
          value.className = 'ml-auto pl-3 tabular-nums';
          value.textContent = row.value;
          line.append(dot, name, value);
          tip.appendChild(line);
        }
        tip.classList.remove('hidden');
        // Keep the box inside the plot (the chart's container clips overflow).
        const w = tip.offsetWidth;
        const h = tip.offsetHeight;
        const overW = u.over.clientWidth;
        const overH = u.over.clientHeight;
        tip.style.left = `${left + 14 + w > overW ? Math.max(0, left - w - 14) : left + 14}px`;
        tip.style.top = `${Math.max(0, Math.min((u.cursor.top ?? 0) - 20, overH - h))}px`;
      },
    },
  };
}

function drawBackdrop(cfg: ChartConfig) {
  return (u: uPlot) => {
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    const spans = cfg.warningSpans?.() ?? [];
    if (spans.length) {
      // An open span reaches "now": the last x of the data (the scale may run further).
      const xs = u.data[0];
      const xMax = xs.length ? (xs[xs.length - 1] as number) : 0;
      ctx.fillStyle = 'rgba(213, 94, 0, 0.16)';
      for (const s of spans) {
        const x0 = Math.max(left, u.valToPos(s.from / 1000, 'x', true));
        const x1 = Math.min(left + width, u.valToPos(s.to === null ? xMax : s.to / 1000, 'x', true));
        if (x1 > x0) ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
      }
    }
    if (cfg.threshold !== null && cfg.threshold !== undefined) {
      const y = u.valToPos(cfg.threshold, 'y', true);
      ctx.strokeStyle = LEVEL_COLORS[1];
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
    }
    ctx.restore();
  };
}

/** Options for the understanding graph: x = seconds since start, y = level 1..5 (fixed). */
export function buildChartOptions(cfg: ChartConfig, width: number, height: number): uPlot.Options {
  const idx = (kind: SeriesKind) => cfg.series.findIndex((s) => s.kind === kind) + 1;
  const p25 = idx('p25');
  const p75 = idx('p75');
  const axisFont = '13px system-ui, sans-serif';
  return {
    width,
    height,
    legend: { show: false },
    cursor: { focus: { prox: 12 }, drag: { x: false, y: false }, points: { show: false } },
    focus: { alpha: 0.35 },
    scales: {
      x: { time: false, range: (_u, _min, max) => [0, Math.max(60, max ?? 0)] },
      y: { range: [0.75, 5.25] },
    },
    axes: [
      {
        font: axisFont,
        label: cfg.timeLabel,
        labelFont: axisFont,
        labelSize: 22,
        values: (_u, splits) => splits.map((s) => formatDuration(s * 1000)),
        grid: { stroke: '#e3e8ec' },
        ticks: { stroke: '#c5cdd4' },
        space: 70,
      },
      {
        font: axisFont,
        size: 36,
        splits: () => [1, 2, 3, 4, 5],
        values: (_u, splits) => splits.map((s) => String(s)),
        grid: { stroke: '#e3e8ec' },
        ticks: { stroke: '#c5cdd4' },
      },
    ],
    series: [{ label: 'x' }, ...cfg.series.map(seriesOptions)],
    bands: p25 > 0 && p75 > 0 ? [{ series: [p75, p25], fill: BAND_FILL }] : [],
    hooks: { drawClear: [drawBackdrop(cfg)] },
    plugins: [tooltipPlugin(cfg), ...(cfg.plugins ?? [])],
  };
}
