import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart } from '../../graph/UPlotChart';
import { toChartData } from './ops-format';
import { useOpsText } from './ops-i18n';
import type { OpsSeries } from './ops-api';

/** hh:mm (or hh:mm:ss for short spans) in the viewer's locale */
const clock = (sec: number, withSeconds: boolean, lang: string) =>
  new Date(sec * 1000).toLocaleTimeString(lang, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });

/** Colour-blind-safe (Okabe–Ito) */
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7'];

export interface OpsChartProps {
  title: string;
  series: OpsSeries;
  lines: { key: string; label: string }[];
  format: (v: number | null) => string;
  /** fixed y range (e.g. 0..1 for ratios) */
  range?: [number, number];
  testId?: string;
}

/** One small live time-series chart of the overview's last hour. */
export function OpsChart({ title, series, lines, format, range, testId }: OpsChartProps) {
  const { lang } = useOpsText();
  const data = useMemo(
    () =>
      toChartData(
        series,
        lines.map((l) => l.key),
      ) as uPlot.AlignedData,
    [series, lines],
  );
  const last = lines.map((l) => {
    const values = series[l.key] ?? [];
    return values.length ? (values[values.length - 1] ?? null) : null;
  });
  const optionsKey = `${lang}|${title}|${lines.map((l) => l.key).join(',')}`;
  const makeOptions = (width: number, height: number): uPlot.Options => ({
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true },
      y: range
        ? { range }
        : { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(max ?? 1, 1e-9) * 1.1] },
    },
    axes: [
      {
        stroke: '#4a5a68',
        grid: { stroke: '#e3e8ec' },
        size: 28,
        values: (u, ticks) =>
          ticks.map((v) => clock(v, (u.scales.x!.max ?? 0) - (u.scales.x!.min ?? 0) < 600, lang)),
      },
      {
        stroke: '#4a5a68',
        grid: { stroke: '#e3e8ec' },
        size: 76,
        values: (_u, ticks) => ticks.map((v) => format(v)),
      },
    ],
    series: [
      {},
      ...lines.map((l, i) => ({
        label: l.label,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        spanGaps: true,
      })),
    ],
  });
  return (
    <figure className="rounded-xl border border-line bg-white p-3 shadow-sm" data-testid={testId}>
      <figcaption className="mb-1 flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-semibold">{title}</span>
        <span className="flex flex-wrap gap-3 text-sm">
          {lines.map((l, i) => (
            <span key={l.key} className="inline-flex items-center gap-1">
              <span
                aria-hidden
                className="inline-block h-2 w-3 rounded"
                style={{ background: COLORS[i % COLORS.length] }}
              />
              <span className="text-muted">{l.label}</span>
              <strong className="tabular-nums">{format(last[i] ?? null)}</strong>
            </span>
          ))}
        </span>
      </figcaption>
      <UPlotChart makeOptions={makeOptions} optionsKey={optionsKey} data={data} height={140} label={title} />
    </figure>
  );
}
