import type { HistoryPoint, KeyMoment, ReportSegment } from '@rstream/protocol';
import { useMemo } from 'react';
import uPlot from 'uplot';
import { UPlotChart, type AlignedData } from '../../graph/UPlotChart';
import { clockOf } from './report-api';
import { useReportT } from './strings';

/** A key moment's colour, on the graph and as the text of its time: each ≥ 4.5:1 on white (WCAG AA). */
export const MOMENT_COLORS: Record<KeyMoment['kind'], string> = {
  drop: '#dc2626',
  recovery: '#15803d',
  low: '#b45309',
  peak: '#2563eb',
};
const AVG = '#4f46e5';
const SEGMENT = '#111827';

interface Props {
  points: HistoryPoint[];
  segments: ReportSegment[];
  moments: KeyMoment[];
  threshold: number | null;
  durationMs: number;
}

/** Average per step, with each point's segment level beside it (x in seconds since the start). */
export function graphData(points: HistoryPoint[], segments: ReportSegment[]): AlignedData {
  const xs = points.map((p) => p.t / 1000);
  const avg = points.map((p) => p.avg);
  let j = 0;
  const seg = points.map((p) => {
    while (j < segments.length - 1 && p.t >= segments[j]!.endT) j++;
    const s = segments[j];
    return s && p.t >= s.startT && p.t < s.endT + 1000 ? s.avg : null;
  });
  return [xs, avg, seg];
}

/** Shades each key moment and draws the threshold, under the lines. */
function marksPlugin(moments: KeyMoment[], threshold: number | null): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        ctx.save();
        moments.forEach((m, i) => {
          const x1 = u.valToPos(m.startT / 1000, 'x', true);
          const x2 = Math.max(u.valToPos(m.endT / 1000, 'x', true), x1 + 3);
          ctx.fillStyle = `${MOMENT_COLORS[m.kind]}26`;
          ctx.fillRect(x1, top, x2 - x1, height);
          ctx.fillStyle = MOMENT_COLORS[m.kind];
          ctx.font = `bold ${Math.round(12 * uPlot.pxRatio)}px system-ui, sans-serif`;
          ctx.fillText(String(i + 1), x1 + 3 * uPlot.pxRatio, top + 14 * uPlot.pxRatio);
        });
        if (threshold !== null) {
          const y = u.valToPos(threshold, 'y', true);
          ctx.strokeStyle = '#d97706';
          ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
          ctx.lineWidth = uPlot.pxRatio;
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

export function ReportGraph({ points, segments, moments, threshold, durationMs }: Props) {
  const rt = useReportT();
  const data = useMemo(() => graphData(points, segments), [points, segments]);
  const makeOptions = (width: number, height: number): uPlot.Options => ({
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, range: [0, Math.max(durationMs / 1000, 1)] }, y: { range: [1, 5] } },
    axes: [
      { values: (_u, ticks) => ticks.map((v) => clockOf(v * 1000)), stroke: '#475569' },
      { values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? String(v) : '')), stroke: '#475569' },
    ],
    series: [
      {},
      { label: rt('r.legend.avg'), stroke: AVG, width: 1.5, points: { show: false }, spanGaps: false },
      {
        label: rt('r.legend.segments'),
        stroke: SEGMENT,
        width: 3,
        points: { show: false },
        paths: uPlot.paths.stepped?.({ align: 1 }),
      },
    ],
    plugins: [marksPlugin(moments, threshold)],
  });
  return (
    <div>
      <UPlotChart
        makeOptions={makeOptions}
        optionsKey={`${moments.length}:${threshold}:${durationMs}:${rt('r.legend.avg')}`}
        data={data}
        height={280}
        label={rt('r.graphLabel')}
        testId="report-graph"
      />
      <ul className="mt-2 flex flex-wrap gap-4 text-sm text-muted">
        <li className="flex items-center gap-2">
          <span aria-hidden className="inline-block h-0.5 w-6" style={{ background: AVG }} />
          {rt('r.legend.avg')}
        </li>
        <li className="flex items-center gap-2">
          <span aria-hidden className="inline-block h-1 w-6" style={{ background: SEGMENT }} />
          {rt('r.legend.segments')}
        </li>
        <li className="flex items-center gap-2">
          <span aria-hidden className="inline-block w-6 border-t-2 border-dashed border-amber-600" />
          {rt('r.legend.threshold')}
        </li>
      </ul>
    </div>
  );
}
