import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
import { UPlotChart, type AlignedData } from '../../graph/UPlotChart';
import { formatAverage } from '../../ui/format';
import { useNow, useViewportHeight } from '../../ui/hooks';
import { LEVEL_COLORS, isLevel } from '../../ui/levels';
import { participantLabel } from '../../ui/participant-label';
import { lineFocusPlugin, type LineFocus } from './line-focus';
import type { SpeakerSnapshot, SpeakerStore } from './speaker-store';
import { useSpeakerT, type SpeakerT } from './strings';

/** Per-listener lines up to this many listeners; a distribution band above. */
export const LINES_MAX = 50;

/** A small, stable vertical offset per line (0, ±0.05 … ±0.15 level), undone in the tooltip. */
function lineOffset(index: number): number {
  const k = index % 7;
  return (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.05;
}
const MAX_TOOLTIP_ROWS = 10;

interface Props {
  store: SpeakerStore;
  snapshot: SpeakerSnapshot;
  threshold: number | null;
  height?: number;
  /** extra chart plugins (the discussion's turn bands) */
  plugins?: uPlot.Plugin[];
}

export function SpeakerGraph({ store, snapshot, threshold, height: fixedHeight, plugins }: Props) {
  const { t } = useI18n();
  const st = useSpeakerT();
  const viewportHeight = useViewportHeight();
  const height = fixedHeight ?? Math.round(Math.min(640, Math.max(260, viewportHeight - 500)));
  const now = useNow(1000);
  const { timeline } = store;
  const listenerCount = Math.max(snapshot.levels.size, snapshot.n, snapshot.participants.length);
  const mode: 'lines' | 'band' = timeline.trackLines && listenerCount <= LINES_MAX ? 'lines' : 'band';

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const p of snapshot.participants as Participant[]) map.set(p.participantId, participantLabel(p, t));
    return map;
  }, [snapshot.participants, t]);

  const lineIds = mode === 'lines' ? [...timeline.lines.keys()] : [];
  const specs: ChartSeriesSpec[] = useMemo(() => {
    const avg: ChartSeriesSpec = { key: 'avg', label: t('graph.average'), kind: 'avg' };
    if (mode === 'band') {
      return [
        { key: 'min', label: t('graph.min'), kind: 'min' },
        { key: 'p25', label: t('graph.p25'), kind: 'p25' },
        { key: 'p75', label: t('graph.p75'), kind: 'p75' },
        { key: 'max', label: t('graph.max'), kind: 'max' },
        avg,
      ];
    }
    const lines = lineIds.map((id): ChartSeriesSpec => ({
      key: `line:${id}` as SeriesKey,
      label: id,
      kind: 'line',
    }));
    return [...lines, avg];
    // lineIds is derived from the timeline; its joined form is the real dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, lineIds.join('|'), t]);

  const nowT = store.nowT(now);
  const ended = snapshot.status === 'ended';
  // Rebuilt when the data moves (graphVersion) or the clock ticks (now).
  const data = useMemo<AlignedData>(() => {
    const aligned = timeline.toAligned(
      specs.map((s) => s.key),
      snapshot.status === 'scheduled' ? null : nowT,
    );
    // An ended session spans start → end: nothing after the end (a last tick) stretches it.
    if (ended && nowT !== null) {
      const endS = nowT / 1000;
      let keep = aligned[0].length;
      while (keep > 1 && (aligned[0][keep - 1] as number) > endS) keep--;
      if (keep < aligned[0].length)
        for (let i = 0; i < aligned.length; i++) aligned[i] = aligned[i]!.slice(0, keep);
    }
    // Levels are whole numbers: nudge each listener's line a little so they do not hide each other.
    specs.forEach((s, i) => {
      if (s.kind !== 'line') return;
      const offset = lineOffset(i);
      const ys = aligned[i + 1] as (number | null)[];
      for (let k = 0; k < ys.length; k++) if (ys[k] !== null) ys[k] = (ys[k] as number) + offset;
    });
    return aligned;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [timeline, specs, snapshot.graphVersion, nowT, snapshot.status, ended]);

  // The tooltip reads the chart's own data, and names through a ref: renames do not rebuild the chart.
  const namesRef = useRef(names);
  useEffect(() => {
    namesRef.current = names;
  }, [names]);
  const tooltip = useCallback(
    (d: AlignedData, idx: number, focused: number | null): TooltipRow[] => {
      const sp = specs;
      const nm = namesRef.current;
      const valueAt = (i: number) => (d[i + 1] as (number | null)[] | undefined)?.[idx] ?? null;
      const rows: TooltipRow[] = [];
      const avgIdx = sp.findIndex((s) => s.kind === 'avg');
      rows.push({
        label: t('graph.average'),
        value: formatAverage(valueAt(avgIdx)),
        color: AVG_COLOR,
        strong: true,
      });
      const others: (TooltipRow & { level: number; focused: boolean })[] = [];
      sp.forEach((s, i) => {
        if (s.kind === 'avg') return;
        const raw = valueAt(i);
        if (raw === null) return;
        const v = s.kind === 'line' ? Math.round(raw) : raw;
        const label = s.kind === 'line' ? (nm.get(s.key.slice(5)) ?? '?') : s.label;
        const color = isLevel(v) ? LEVEL_COLORS[v] : '#888';
        const isFocused = focused === i + 1;
        others.push({ label, value: String(v), color, level: v, focused: isFocused, strong: isFocused });
      });
      if (mode === 'lines') others.sort((a, b) => Number(b.focused) - Number(a.focused) || a.level - b.level);
      rows.push(...others.slice(0, MAX_TOOLTIP_ROWS));
      if (others.length > MAX_TOOLTIP_ROWS) {
        rows.push({
          label: t('graph.tooltipMore', { n: others.length - MAX_TOOLTIP_ROWS }),
          value: '',
          color: 'transparent',
        });
      }
      return rows;
    },
    [t, mode, specs],
  );

  // The line under the pointer: named above the graph, drawn over the others.
  const [focus, setFocus] = useState<LineFocus | null>(null);
  const focusPlugin = useMemo(
    () => lineFocusPlugin({ isLine: (i) => specs[i - 1]?.kind === 'line', onFocus: setFocus, exactX: ended }),
    [specs, ended],
  );
  const focusedId = focus ? specs[focus.series - 1]?.key.slice(5) : undefined;
  const focusedLevel = focus ? (data[focus.series] as (number | null)[] | undefined)?.[focus.idx] : null;

  const warningSpans = useCallback(() => store.warningSpans, [store]);
  const makeOptions = useCallback(
    (w: number, h: number) =>
      buildChartOptions(
        {
          series: specs,
          threshold,
          warningSpans,
          tooltip,
          timeLabel: t('graph.time'),
          plugins: [focusPlugin, ...(plugins ?? [])],
        },
        w,
        h,
      ),
    [specs, threshold, warningSpans, tooltip, t, plugins, focusPlugin],
  );
  const optionsKey = `${mode}|${ended}|${specs.map((s) => s.key).join(',')}|${threshold}|${t('graph.time')}|${plugins?.length ?? 0}`;

  const avg = store.currentAverage();
  const label = `${t('speaker.graph.title')}: ${t('graph.average')} ${formatAverage(avg)}${snapshot.degraded ? ` (${st('sp.degradedShort')})` : ''}`;

  return (
    <div className="relative">
      {mode === 'lines' && (
        <p
          aria-live="polite"
          className="pointer-events-none absolute right-2 top-0 z-10 min-h-6 rounded-md bg-white/90 px-2 text-sm font-semibold text-ink"
          data-testid="graph-focus"
          data-participant-id={focusedId ?? ''}
        >
          {focusedId
            ? focusedLevel === null || focusedLevel === undefined
              ? st('sp.lineFocusedNone', { name: names.get(focusedId) ?? '?' })
              : st('sp.lineFocused', { name: names.get(focusedId) ?? '?', level: Math.round(focusedLevel) })
            : ''}
        </p>
      )}
      <UPlotChart
        makeOptions={makeOptions}
        optionsKey={optionsKey}
        data={data}
        height={height}
        label={label}
        testId="understanding-graph"
      />
      {snapshot.status === 'scheduled' && (
        <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-lg font-medium text-muted">
          <span className="rounded-lg bg-white/90 px-4 py-2">{t('speaker.graph.empty')}</span>
        </p>
      )}
      <GraphLegend mode={mode} threshold={threshold} st={st} lines={lineIds.length} />
    </div>
  );
}

function GraphLegend({
  mode,
  threshold,
  st,
  lines,
}: {
  mode: 'lines' | 'band';
  threshold: number | null;
  st: SpeakerT;
  lines: number;
}) {
  const { t } = useI18n();
  const item = 'inline-flex items-center gap-2';
  return (
    <div
      className="mt-2 flex flex-wrap items-center gap-x-5 gap-y-1 text-sm text-muted"
      data-testid="graph-legend"
      data-mode={mode}
    >
      <span className={item}>
        <span aria-hidden className="inline-block h-1 w-6 rounded" style={{ background: AVG_COLOR }} />
        {t('graph.average')}
      </span>
      {mode === 'band' ? (
        <>
          <span className={item} data-testid="legend-band">
            <span
              aria-hidden
              className="inline-block h-3 w-6 rounded-sm border border-sky-600/60 bg-sky-300/40"
            />
            {st('sp.band.middle')}
          </span>
          <span className={item}>
            <span aria-hidden className="inline-block w-6 border-t-2 border-dashed border-slate-500" />
            {st('sp.band.range')}
          </span>
          <span className="basis-full text-xs">{st('sp.band.why', { n: LINES_MAX })}</span>
        </>
      ) : lines > 0 ? (
        <span className={item} data-testid="legend-lines">
          <span
            aria-hidden
            className="inline-block h-0.5 w-6 rounded"
            style={{ background: 'rgba(30, 80, 120, 0.45)' }}
          />
          {st('sp.lines')}
        </span>
      ) : null}
      {threshold !== null && (
        <span className={item}>
          <span
            aria-hidden
            className="inline-block w-6 border-t-2 border-dashed"
            style={{ borderColor: LEVEL_COLORS[1] }}
          />
          {t('graph.threshold')} ({threshold})
        </span>
      )}
    </div>
  );
}
