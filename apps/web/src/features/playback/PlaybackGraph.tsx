import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useI18n } from '../../app/i18n';
import {
  AVG_COLOR,
  buildChartOptions,
  type ChartSeriesSpec,
  type TooltipRow,
} from '../../graph/chartOptions';
import type { Timeline } from '../../graph/timeline';
import { UPlotChart, type AlignedData } from '../../graph/UPlotChart';
import { formatAverage, formatDuration } from '../../ui/format';
import { turnBandsPlugin, type TurnBand } from '../discussion/turn-bands';
import type { MediaPart } from './media-map';
import type { KeyMoment } from './playback-api';
import { playbackPlugin, type CursorHandle } from './playback-plugin';
import type { Player } from './player';
import { usePlaybackT } from './strings';

interface Props {
  timeline: Timeline;
  player: Player;
  moments: KeyMoment[];
  parts: MediaPart[];
  threshold: number | null;
  onSeek: (t: number, final: boolean) => void;
  /** discussion sessions: the turns as labelled bands (the discussion graph's plugin) */
  turnBands?: readonly TurnBand[];
}

/** The session's understanding graph as the scrubber of the recording. */
export function PlaybackGraph({
  timeline,
  player,
  moments,
  parts,
  threshold,
  onSeek,
  turnBands = [],
}: Props) {
  const { t } = useI18n();
  const pt = usePlaybackT();
  const cursor = useRef<CursorHandle | null>(null);
  const seekRef = useRef(onSeek);
  const momentsRef = useRef(moments);
  const partsRef = useRef(parts);
  const bandsRef = useRef(turnBands);
  useEffect(() => {
    seekRef.current = onSeek;
    momentsRef.current = moments;
    partsRef.current = parts;
    bandsRef.current = turnBands;
  });

  const specs: ChartSeriesSpec[] = useMemo(
    () => [
      { key: 'min', label: t('graph.min'), kind: 'min' },
      { key: 'p25', label: t('graph.p25'), kind: 'p25' },
      { key: 'p75', label: t('graph.p75'), kind: 'p75' },
      { key: 'max', label: t('graph.max'), kind: 'max' },
      { key: 'avg', label: t('graph.average'), kind: 'avg' },
    ],
    [t],
  );
  // The x axis spans the whole session: the last values are carried to its end.
  const data = useMemo<AlignedData>(
    () =>
      timeline.toAligned(
        specs.map((s) => s.key),
        player.endT,
      ),
    [timeline, specs, player.endT],
  );

  const tooltip = useCallback(
    (d: AlignedData, idx: number): TooltipRow[] => {
      const avg = (d[specs.length] as (number | null)[] | undefined)?.[idx] ?? null;
      return [{ label: t('graph.average'), value: formatAverage(avg), color: AVG_COLOR, strong: true }];
    },
    [specs.length, t],
  );

  const makeOptions = useCallback(
    (w: number, h: number) => {
      const opts = buildChartOptions({ series: specs, threshold, tooltip, timeLabel: t('graph.time') }, w, h);
      opts.plugins = [
        ...(opts.plugins ?? []),
        turnBandsPlugin(() => bandsRef.current),
        playbackPlugin(
          {
            cursorT: () => player.currentT(),
            moments: () => momentsRef.current,
            parts: () => partsRef.current,
            onSeek: (time, final) => seekRef.current(time, final),
          },
          cursor,
        ),
      ];
      // Keep the whole session in view (not just up to the last signal).
      opts.scales = {
        ...opts.scales,
        x: { time: false, range: () => [0, Math.max(1, player.endT / 1000)] },
      };
      return opts;
    },
    [specs, threshold, tooltip, t, player],
  );

  useEffect(() => player.onFrame(() => cursor.current?.update()), [player]);

  // Arrow keys on the focused graph move by 5 s (Shift: 30 s); Home/End jump to the ends.
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = e.shiftKey ? 30_000 : 5000;
    const now = player.currentT();
    const to =
      e.key === 'ArrowLeft'
        ? now - step
        : e.key === 'ArrowRight'
          ? now + step
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? player.endT
              : null;
    if (to === null) return;
    e.preventDefault();
    onSeek(to, true);
  };

  return (
    <div
      tabIndex={0}
      role="slider"
      aria-label={pt('pb.graphLabel')}
      aria-valuemin={0}
      aria-valuemax={Math.round(player.endT / 1000)}
      aria-valuenow={Math.round(player.currentT() / 1000)}
      aria-valuetext={formatDuration(player.currentT())}
      onKeyDown={onKeyDown}
      className="rounded-lg focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand"
      data-testid="playback-graph"
      data-end-t={player.endT}
    >
      <UPlotChart
        makeOptions={makeOptions}
        optionsKey={`${threshold}|${t('graph.time')}|${player.endT}|${moments.length}|${parts.length}|${turnBands.length}`}
        data={data}
        height={220}
        label={pt('pb.graphLabel')}
        testId="understanding-graph"
      />
    </div>
  );
}
