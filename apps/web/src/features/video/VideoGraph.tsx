import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Participant } from '@rstream/protocol';
import type uPlot from 'uplot';
import { useI18n } from '../../app/i18n';
import {
  AVG_COLOR,
  buildChartOptions,
  type ChartSeriesSpec,
  type TooltipRow,
} from '../../graph/chartOptions';
import type { SeriesKey } from '../../graph/timeline';
import { UPlotChart } from '../../graph/UPlotChart';
import { applyLevelUpdate, type LevelMap } from '../../realtime/participant-levels';
import type { RealtimeClient } from '../../realtime/client';
import { formatAverage, formatDuration } from '../../ui/format';
import { participantLabel } from '../../ui/participant-label';
import { useVideoT } from './strings';
import type { Cohort, CohortsResponse, Dip } from './types';
import { videosApi } from './video-api';
import { VideoTimeline } from './video-timeline';

/** Earlier showings: colour-blind-safe hues, thinner than this showing's line. */
const COHORT_COLORS = ['#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#999999'];
const PAUSED_COLOR = '#6b7280';
const LINE_COLOR = 'rgba(90, 90, 90, 0.35)';

/** Shades the dips every showing shares and names them on the chart. */
function dipsPlugin(dips: () => readonly Dip[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [
        (u) => {
          const { ctx } = u;
          const { top, height } = u.bbox;
          ctx.save();
          ctx.fillStyle = 'rgba(213, 94, 0, 0.14)';
          ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
          for (const d of dips()) {
            const x0 = u.valToPos(d.startMs / 1000, 'x', true);
            const x1 = u.valToPos(d.endMs / 1000, 'x', true);
            ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
            ctx.fillStyle = '#8a3b00';
            ctx.fillText(
              `${formatDuration(d.startMs)}–${formatDuration(d.endMs)}`,
              x0 + 3,
              top + 14 * devicePixelRatio,
            );
            ctx.fillStyle = 'rgba(213, 94, 0, 0.14)';
          }
          ctx.restore();
        },
      ],
    },
  };
}

export function useCohorts(videoId: string | null | undefined, bearer?: string, refreshKey = 0) {
  const [data, setData] = useState<CohortsResponse | null>(null);
  useEffect(() => {
    if (!videoId) return;
    let cancelled = false;
    videosApi.cohorts(videoId, bearer).then(
      (r) => !cancelled && setData(r),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [videoId, bearer, refreshKey]);
  return data;
}

interface ChartProps {
  timeline: VideoTimeline | null;
  version: number;
  durationMs: number | null;
  cohorts: readonly Cohort[];
  dips: readonly Dip[];
  participants?: readonly Participant[];
  height?: number;
  showLines?: boolean;
}

/** The understanding on the video's own time, this showing over the earlier ones. */
export function VideoTimeChart({
  timeline,
  version,
  durationMs,
  cohorts,
  dips,
  participants = [],
  height = 300,
  showLines = true,
}: ChartProps) {
  const vt = useVideoT();
  const { t } = useI18n();
  const lineIds = showLines && timeline ? [...timeline.lines.keys()].slice(0, 50) : [];
  const endSec = Math.max(
    60,
    durationMs ? durationMs / 1000 : 0,
    timeline?.lastSecond() ?? 0,
    ...cohorts.map((c) => (c.points.length ? c.points[c.points.length - 1]!.t / 1000 : 0)),
  );
  const names = useMemo(
    () => new Map(participants.map((p) => [p.participantId, participantLabel(p, t)])),
    [participants, t],
  );
  const specs: ChartSeriesSpec[] = useMemo(
    () => [
      { key: 'avg', label: vt('v.graph.thisShowing'), kind: 'avg' },
      { key: 'line:paused' as SeriesKey, label: vt('v.graph.paused'), kind: 'me' },
      ...lineIds.map((id) => ({ key: `line:${id}` as SeriesKey, label: id, kind: 'line' as const })),
      ...cohorts.map((c, i) => ({
        key: `line:cohort${i}` as SeriesKey,
        label: vt('v.graph.cohort', { title: c.title, n: c.participants }),
        kind: 'line' as const,
      })),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [vt, lineIds.join('|'), cohorts],
  );
  const data = useMemo(
    () => (timeline ?? new VideoTimeline()).toAligned(endSec, lineIds, cohorts) as uPlot.AlignedData,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [timeline, version, endSec, lineIds.join('|'), cohorts],
  );
  const tooltip = useCallback(
    (d: uPlot.AlignedData, idx: number): TooltipRow[] =>
      specs
        .map((s, i): TooltipRow | null => {
          const v = (d[i + 1] as (number | null)[])[idx];
          if (v === null || v === undefined) return null;
          const label = i >= 2 && i - 2 < lineIds.length ? (names.get(s.key.slice(5)) ?? '?') : s.label;
          const color =
            i === 0
              ? AVG_COLOR
              : i === 1
                ? PAUSED_COLOR
                : i - 2 < lineIds.length
                  ? '#888'
                  : COHORT_COLORS[(i - 2 - lineIds.length) % COHORT_COLORS.length]!;
          return { label, value: formatAverage(v), color, strong: i === 0 };
        })
        .filter((r): r is TooltipRow => r !== null),
    [specs, names, lineIds.length],
  );
  const makeOptions = useCallback(
    (w: number, h: number) => {
      const o = buildChartOptions(
        { series: specs, tooltip, timeLabel: vt('v.graph.videoTime'), plugins: [dipsPlugin(() => dips)] },
        w,
        h,
      );
      const series = o.series;
      // this showing: a plain line over the played seconds
      series[1] = { ...series[1], spanGaps: true };
      // answers given while paused: dots, no line
      series[2] = {
        ...series[2],
        stroke: PAUSED_COLOR,
        width: 0,
        paths: () => null,
        points: { show: true, size: 9, fill: '#fff', stroke: PAUSED_COLOR, width: 2 },
      };
      for (let i = 0; i < lineIds.length; i++)
        series[3 + i] = { ...series[3 + i], stroke: LINE_COLOR, width: 1.2, spanGaps: true };
      cohorts.forEach((_, i) => {
        series[3 + lineIds.length + i] = {
          ...series[3 + lineIds.length + i],
          stroke: COHORT_COLORS[i % COHORT_COLORS.length],
          width: 2,
          dash: [6, 4],
          spanGaps: true,
        };
      });
      o.scales!.x = { time: false, range: [0, endSec] };
      return o;
    },
    [specs, tooltip, vt, dips, lineIds.length, cohorts, endSec],
  );
  const optionsKey = `video|${specs.map((s) => s.key).join(',')}|${endSec}|${dips.length}|${vt('v.graph.videoTime')}`;
  const played = timeline ? [...timeline.points.values()].filter((p) => !p.paused && p.avg !== null) : [];
  return (
    <div
      data-testid="video-time-graph"
      data-points={played.length}
      data-levels={lineIds.map((id) => timeline?.latestLevel(id) ?? '').join(',')}
      data-cohorts={cohorts.length}
    >
      <UPlotChart
        makeOptions={makeOptions}
        optionsKey={optionsKey}
        data={data}
        height={height}
        label={`${vt('v.graph.videoTime')}: ${vt('v.graph.thisShowing')}`}
      />
      <div
        className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-sm text-muted"
        data-testid="video-graph-legend"
      >
        <span className="inline-flex items-center gap-2">
          <span aria-hidden className="inline-block h-1 w-6 rounded" style={{ background: AVG_COLOR }} />
          {vt('v.graph.thisShowing')}
        </span>
        <span className="inline-flex items-center gap-2">
          <span
            aria-hidden
            className="inline-block h-3 w-3 rounded-full border-2 bg-white"
            style={{ borderColor: PAUSED_COLOR }}
          />
          {vt('v.graph.paused')}
        </span>
        {cohorts.map((c, i) => (
          <span key={c.sessionId} className="inline-flex items-center gap-2" data-testid="cohort-legend">
            <span
              aria-hidden
              className="inline-block w-6 border-t-2 border-dashed"
              style={{ borderColor: COHORT_COLORS[i % COHORT_COLORS.length] }}
            />
            {vt('v.graph.cohort', { title: c.title, n: c.participants })}
          </span>
        ))}
      </div>
    </div>
  );
}

/** The named dips: the minutes of the video where every showing loses its audience. */
export function DipsList({ dips }: { dips: readonly Dip[] }) {
  const vt = useVideoT();
  return (
    <div data-testid="video-dips">
      <h3 className="mb-1 font-bold">{vt('v.dips.title')}</h3>
      {dips.length === 0 ? (
        <p className="text-sm text-muted">{vt('v.dips.none')}</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {dips.map((d) => (
            <li key={d.startMs} className="flex items-center gap-2" data-testid="video-dip">
              <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-[#d55e00]/40" />
              {vt('v.dips.item', {
                from: formatDuration(d.startMs),
                to: formatDuration(d.endMs),
                avg: formatAverage(d.avg),
                n: d.cohorts,
              })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface PanelProps {
  sessionId: string;
  videoId: string | null | undefined;
  durationMs: number | null;
  client: RealtimeClient | null;
  /** the speaker's per-participant levels, read after each update */
  levels: () => LevelMap;
  participants: readonly Participant[];
  bearer?: string;
  /** the session-time graph, shown when that axis is chosen */
  sessionGraph: ReactNode;
  ended: boolean;
}

/** The speaker's graph in a video session: session time or video time, with the cohorts. */
export function VideoGraphPanel({
  sessionId,
  videoId,
  durationMs,
  client,
  levels,
  participants,
  bearer,
  sessionGraph,
  ended,
}: PanelProps) {
  const vt = useVideoT();
  const [axis, setAxis] = useState<'session' | 'video'>('video');
  const [timeline] = useState(() => new VideoTimeline());
  const [version, setVersion] = useState(0);
  const cohorts = useCohorts(videoId, bearer, ended ? 1 : 0);
  useEffect(() => {
    let cancelled = false;
    videosApi.understandingOnVideo(sessionId, bearer).then(
      (r) => {
        if (cancelled) return;
        timeline.load([...r.points, ...(r.pausedPoints ?? []).map((p) => ({ ...p, paused: true }))]);
        setVersion(timeline.version);
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId, bearer, timeline]);
  useEffect(() => {
    if (!client) return;
    return client.onMessage((m) => {
      if (m.type !== 'understanding:update') return;
      const u = m as typeof m & { videoMs?: number | null; videoPlaying?: boolean };
      // this update's own list on top (idempotent when the store has applied it already)
      if (timeline.add(u, applyLevelUpdate(levels(), u))) setVersion(timeline.version);
    });
  }, [client, timeline, levels]);
  const earlier = (cohorts?.cohorts ?? []).filter((c) => c.sessionId !== sessionId);
  const dips = cohorts?.dips ?? [];
  const btn = (a: 'session' | 'video', label: string) => (
    <button
      type="button"
      role="radio"
      aria-checked={axis === a}
      onClick={() => setAxis(a)}
      className={`px-3 py-1 text-sm font-semibold ${axis === a ? 'bg-brand text-white' : 'bg-white hover:bg-slate-100'}`}
      data-testid={`axis-${a}`}
    >
      {label}
    </button>
  );
  return (
    <div className="flex flex-col gap-3">
      <div
        role="radiogroup"
        aria-label={vt('v.graph.axis')}
        className="inline-flex self-start overflow-hidden rounded-lg border border-slate-400"
      >
        {btn('video', vt('v.graph.video'))}
        {btn('session', vt('v.graph.session'))}
      </div>
      {axis === 'session' ? (
        sessionGraph
      ) : (
        <>
          <VideoTimeChart
            timeline={timeline}
            version={version}
            durationMs={durationMs}
            cohorts={earlier}
            dips={dips}
            participants={participants}
          />
          {earlier.length > 0 && <DipsList dips={dips} />}
        </>
      )}
    </div>
  );
}
