import type { SpeakerTotal, TurnsResponse } from '@rstream/protocol';
import { Link } from '../../app/router';
import { formatAverage, formatDuration } from '../../ui/format';
import { clockOf, playbackHref } from '../report/report-api';
import { useDiscussionT } from './strings';
import { TurnsTable } from './TurnsTable';

/**
 * The report's "Speakers" section (discussion mode): each speaker's speaking time, the listeners'
 * average during their turns, best and worst turn (links into the playback page), then every
 * turn with avg / n / change, and the reaction lag the figures were read with.
 */
export function ReportSpeakers({ sessionId, data }: { sessionId: string; data: TurnsResponse }) {
  const t = useDiscussionT();
  const index = new Map(data.turns.map((x, i) => [x.id, { n: i + 1, turn: x }]));
  const lag = Math.round(data.reactionLagMs / 100) / 10;

  const turnLink = (ref: SpeakerTotal['best'], testId: string) => {
    const hit = ref ? index.get(ref.turnId) : undefined;
    if (!ref || !hit) return <span className="text-muted">–</span>;
    return (
      <Link
        to={playbackHref(sessionId, hit.turn.startT)}
        className="font-semibold text-accent underline tabular-nums"
        data-testid={testId}
        aria-label={t('d.report.play', { n: hit.n, t: clockOf(hit.turn.startT) })}
      >
        {formatAverage(ref.avg)} · #{hit.n} {clockOf(hit.turn.startT)}
      </Link>
    );
  };

  return (
    <section aria-labelledby="report-speakers-title" className="mt-8" data-testid="report-speakers">
      <h2 id="report-speakers-title" className="mb-3 text-xl font-bold">
        {t('d.report.title')}
      </h2>
      <p className="mb-3 text-sm text-muted" data-testid="report-speakers-lag">
        {t('d.report.lag', { lag })}
      </p>
      {data.turns.length === 0 ? (
        <p className="text-muted">{t('d.report.none')}</p>
      ) : (
        <>
          <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {data.speakers.map((s) => (
              <li
                key={s.participantId ?? s.speaker}
                className="rounded-xl border border-line bg-white p-4 shadow-sm"
                data-testid="speaker-total"
                data-speaker={s.speaker}
              >
                <div className="flex items-baseline justify-between gap-2">
                  <h3 className="truncate text-lg font-bold">{s.speaker}</h3>
                  <span className="shrink-0 text-sm text-muted">
                    {s.turns === 1 ? t('d.report.turn1') : t('d.report.turns', { n: s.turns })}
                  </span>
                </div>
                <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
                  <dt className="text-muted">{t('d.totals.time')}</dt>
                  <dd className="tabular-nums" data-testid="speaker-time">
                    {formatDuration(s.speakingMs)}
                  </dd>
                  <dt className="text-muted">{t('d.list.avg')}</dt>
                  <dd className="text-xl font-bold tabular-nums" data-testid="speaker-avg">
                    {formatAverage(s.avg)}
                  </dd>
                  <dt className="text-muted">{t('d.totals.best')}</dt>
                  <dd>{turnLink(s.best, 'speaker-best')}</dd>
                  <dt className="text-muted">{t('d.totals.worst')}</dt>
                  <dd>{turnLink(s.worst, 'speaker-worst')}</dd>
                </dl>
              </li>
            ))}
          </ul>
          <div className="mt-4 overflow-x-auto rounded-xl border border-line bg-white p-3">
            <h3 className="mb-1 text-base font-bold">{t('d.list.title')}</h3>
            <TurnsTable
              turns={data.turns}
              testId="report-turns"
              rowTestId="report-turn"
              avgTestId="report-turn-avg"
              start={(x) => (
                <Link to={playbackHref(sessionId, x.startT)} className="text-accent underline">
                  {clockOf(x.startT)}
                </Link>
              )}
            />
          </div>
        </>
      )}
    </section>
  );
}
