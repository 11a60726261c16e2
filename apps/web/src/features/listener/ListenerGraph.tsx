import { useCallback, useMemo } from 'react';
import type { GraphVisibility } from '@rstream/protocol';
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
import { useNow } from '../../ui/hooks';
import { ME_KEY, type ListenerSnapshot, type ListenerStore } from './listener-store';

interface Props {
  store: ListenerStore;
  snapshot: ListenerSnapshot;
  visibility: Exclude<GraphVisibility, 'none'>;
  /** extra chart plugins (the discussion's turn bands) */
  plugins?: uPlot.Plugin[];
}

/** "own": my line only; "all": the audience average plus my line. */
export function ListenerGraph({ store, snapshot, visibility, plugins }: Props) {
  const { t } = useI18n();
  const now = useNow(1000);
  const specs = useMemo<ChartSeriesSpec[]>(() => {
    const me: ChartSeriesSpec = { key: `line:${ME_KEY}` as SeriesKey, label: t('graph.you'), kind: 'me' };
    return visibility === 'all' ? [me, { key: 'avg', label: t('graph.audience'), kind: 'avg' }] : [me];
  }, [visibility, t]);

  const nowT = snapshot.status === 'live' ? store.nowT(now) : null;
  const data = useMemo<AlignedData>(
    () =>
      store.timeline.toAligned(
        specs.map((s) => s.key),
        nowT,
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, specs, snapshot.graphVersion, nowT],
  );

  const tooltip = useCallback(
    (d: AlignedData, idx: number): TooltipRow[] =>
      specs.map((s, i) => {
        const v = (d[i + 1] as (number | null)[] | undefined)?.[idx] ?? null;
        return {
          label: s.label,
          value: s.kind === 'avg' ? formatAverage(v) : v === null ? '–' : String(v),
          color: s.kind === 'avg' ? AVG_COLOR : '#0072b2',
        };
      }),
    [specs],
  );
  const makeOptions = useCallback(
    (w: number, h: number) =>
      buildChartOptions({ series: specs, tooltip, timeLabel: t('graph.time'), plugins }, w, h),
    [specs, tooltip, t, plugins],
  );

  return (
    <section
      aria-labelledby="lgraph-title"
      className="rounded-2xl border border-line bg-white p-3 shadow-sm sm:p-4"
    >
      <h2 id="lgraph-title" className="mb-1 text-base font-bold">
        {t('listener.graph.title')}
      </h2>
      <UPlotChart
        makeOptions={makeOptions}
        optionsKey={`${visibility}|${t('graph.time')}|${plugins?.length ?? 0}`}
        data={data}
        height={190}
        label={`${t('listener.graph.title')}: ${visibility === 'all' ? `${t('graph.audience')} ${formatAverage(snapshot.avg)}` : ''}`}
        testId="listener-graph"
      />
      <div className="mt-1 flex flex-wrap gap-x-4 text-sm text-muted">
        <span className="inline-flex items-center gap-2">
          <span aria-hidden className="inline-block w-6 border-t-[3px] border-dashed border-[#0072b2]" />
          {t('graph.you')}
        </span>
        {visibility === 'all' && (
          <span className="inline-flex items-center gap-2">
            <span aria-hidden className="inline-block h-1 w-6 rounded" style={{ background: AVG_COLOR }} />
            {t('graph.audience')}:{' '}
            <strong className="tabular-nums text-ink">{formatAverage(snapshot.avg)}</strong>
          </span>
        )}
      </div>
    </section>
  );
}
