import { useMemo } from 'react';
import type { ReportVideoSection } from '@rstream/protocol';
import { useI18n } from '../../app/i18n';
import { formatDateTime, formatDuration } from '../../ui/format';
import { useVideoT } from './strings';
import { DipsList, VideoTimeChart } from './VideoGraph';
import { VideoTimeline } from './video-timeline';

/** The report's video section: this showing over the earlier ones on the video's time, and the dips. */
export function ReportVideo({ section }: { section: ReportVideoSection }) {
  const vt = useVideoT();
  const { lang } = useI18n();
  const current = section.cohorts.find((c) => c.current) ?? null;
  const earlier = section.cohorts.filter((c) => !c.current);
  const timeline = useMemo(() => {
    const tl = new VideoTimeline();
    if (current) tl.load(current.points);
    return tl;
  }, [current]);
  return (
    <div className="flex flex-col gap-4" data-testid="report-video">
      <p className="font-semibold">
        {section.title}
        {section.durationMs !== null && (
          <span className="ml-2 font-normal text-muted">{formatDuration(section.durationMs)}</span>
        )}
      </p>
      <div className="rounded-2xl border border-line bg-white p-4 shadow-sm">
        <VideoTimeChart
          timeline={timeline}
          version={timeline.version}
          durationMs={section.durationMs}
          cohorts={earlier}
          dips={section.dips}
          showLines={false}
        />
      </div>
      <DipsList dips={section.dips} />
      <div>
        <h3 className="mb-1 font-bold">{vt('v.cohorts.title')}</h3>
        {earlier.length === 0 ? (
          <p className="text-sm text-muted">{vt('v.cohorts.none')}</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm" data-testid="report-cohorts">
            {section.cohorts.map((c) => (
              <li key={c.sessionId} className={c.current ? 'font-bold' : ''}>
                {c.current ? vt('v.graph.thisShowing') : c.title} · {formatDateTime(c.startedAt, lang)} ·{' '}
                {vt('v.cohorts.viewers', { n: c.participants })}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
