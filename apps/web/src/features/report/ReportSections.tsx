import type { KeyMoment, ReportResponse } from '@rstream/protocol';
import { useI18n } from '../../app/i18n';
import { Link } from '../../app/router';
import { buttonClass } from '../../ui/Button';
import { formatAverage, formatDateTime, formatDuration } from '../../ui/format';
import { clockOf, playbackHref } from './report-api';
import { MOMENT_COLORS } from './ReportGraph';
import { useReportT } from './strings';
import { useVideoT } from '../video/strings';

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="rounded-xl border border-line bg-white p-3">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="text-2xl font-bold tabular-nums">{value}</dd>
      {sub && <dd className="text-sm text-muted">{sub}</dd>}
    </div>
  );
}

export function SummaryGrid({ report }: { report: ReportResponse }) {
  const rt = useReportT();
  const s = report.summary;
  if (!s) return null;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="report-summary">
      <Stat label={rt('r.duration')} value={formatDuration(s.durationMs)} />
      <Stat
        label={rt('r.listeners')}
        value={String(s.participants)}
        sub={rt('r.signalled', { n: s.signalled })}
      />
      <Stat
        label={rt('r.average')}
        value={formatAverage(s.avg)}
        sub={rt('r.median', { v: formatAverage(s.median) })}
      />
      <Stat label={rt('r.range')} value={`${formatAverage(s.min)} – ${formatAverage(s.max)}`} />
      <Stat
        label={rt('r.below', { t: s.threshold.toFixed(1) })}
        value={formatDuration(s.timeBelowThresholdMs)}
      />
      <Stat
        label={rt('r.questions')}
        value={String(s.questions.asked)}
        sub={rt('r.askedAnswered', { a: s.questions.asked, b: s.questions.answered })}
      />
    </dl>
  );
}

export function MomentCard({
  moment,
  index,
  report,
}: {
  moment: KeyMoment;
  index: number;
  report: ReportResponse;
}) {
  const rt = useReportT();
  const vt = useVideoT();
  const questions = report.questions.filter((q) => moment.questionIds.includes(q.id));
  return (
    <li
      className="rounded-xl border border-line border-l-4 bg-white p-4 shadow-sm"
      style={{ borderLeftColor: MOMENT_COLORS[moment.kind] }}
      data-testid="moment-card"
      data-kind={moment.kind}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-lg font-bold">
          <span className="mr-2 tabular-nums" style={{ color: MOMENT_COLORS[moment.kind] }}>
            {index + 1}.
          </span>
          {rt(`r.kind.${moment.kind}`)}{' '}
          <span className="font-normal text-muted tabular-nums">
            {clockOf(moment.startT)}–{clockOf(moment.endT)}
          </span>
          {moment.videoMs !== undefined && (
            <span className="ml-2 text-base font-normal text-muted tabular-nums" data-testid="moment-video">
              {vt('v.report.atVideo', { t: formatDuration(moment.videoMs) })}
            </span>
          )}
          {moment.participation && (
            <span className="ml-2 rounded bg-amber-100 px-2 py-0.5 text-sm font-medium text-amber-900">
              {rt('r.participation')}
            </span>
          )}
        </h3>
        <Link
          to={playbackHref(report.sessionId, moment.startT)}
          className={buttonClass('secondary', 'sm')}
          data-testid="moment-play"
        >
          ▶ {rt('r.play', { t: clockOf(moment.startT) })}
        </Link>
      </div>
      <p className="mt-2">{moment.note}</p>
      <p className="mt-1 text-sm text-muted">
        {rt('r.levels', { from: formatAverage(moment.fromAvg), to: formatAverage(moment.toAvg) })} ·{' '}
        {rt('r.counted', { n: moment.n })}
      </p>
      {questions.length > 0 && (
        <div className="mt-2">
          <h4 className="text-sm font-semibold">{rt('r.momentQuestions')}</h4>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {questions.map((q) => (
              <li key={q.id}>
                <span className="mr-2 text-muted tabular-nums">{q.t === null ? '–' : clockOf(q.t)}</span>
                {q.content}
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}

export function QuestionsList({ report }: { report: ReportResponse }) {
  const rt = useReportT();
  if (report.questions.length === 0) return <p className="text-muted">{rt('r.noQuestions')}</p>;
  return (
    <ul
      className="divide-y divide-line rounded-xl border border-line bg-white"
      data-testid="report-questions"
    >
      {report.questions.map((q) => (
        <li key={q.id} className="flex gap-3 p-3">
          <span className="w-14 shrink-0 text-muted tabular-nums">{q.t === null ? '–' : clockOf(q.t)}</span>
          <div className="min-w-0">
            <p>{q.content}</p>
            {q.status === 'answered' && (
              <p className="text-sm text-green-800">
                ✓ {rt('r.answered')}
                {q.answer ? `: ${q.answer}` : ''}
              </p>
            )}
          </div>
          <span className="ml-auto shrink-0 text-sm text-muted tabular-nums">▲ {q.votes}</span>
        </li>
      ))}
    </ul>
  );
}

export function Comparison({ report }: { report: ReportResponse }) {
  const rt = useReportT();
  const { lang } = useI18n();
  const c = report.comparison;
  if (!c || c.previous.length === 0) return <p className="text-muted">{rt('r.noComparison')}</p>;
  const s = report.summary!;
  return (
    <div data-testid="report-comparison">
      {c.trend && (
        <p className="mb-2 font-medium">
          {rt(`r.trend.${c.trend}`, { d: Math.abs(c.avgDelta ?? 0).toFixed(2) })}
        </p>
      )}
      <table className="w-full border-collapse text-left text-sm">
        <thead>
          <tr className="border-b border-line text-muted">
            <th className="py-1 pr-3 font-medium">{rt('r.col.session')}</th>
            <th className="py-1 pr-3 font-medium">{rt('r.col.date')}</th>
            <th className="py-1 pr-3 font-medium">{rt('r.col.avg')}</th>
            <th className="py-1 font-medium">{rt('r.col.below')}</th>
          </tr>
        </thead>
        <tbody>
          {c.previous.map((p) => (
            <tr key={p.sessionId} className="border-b border-line">
              <td className="py-1 pr-3">
                <Link to={`/archive/${p.sessionId}/report`} className="underline">
                  {p.title}
                </Link>
              </td>
              <td className="py-1 pr-3">{formatDateTime(p.startedAt, lang)}</td>
              <td className="py-1 pr-3 tabular-nums">{formatAverage(p.avg)}</td>
              <td className="py-1 tabular-nums">{formatDuration(p.timeBelowThresholdMs)}</td>
            </tr>
          ))}
          <tr className="font-semibold">
            <td className="py-1 pr-3">{rt('r.thisSession')}</td>
            <td className="py-1 pr-3" />
            <td className="py-1 pr-3 tabular-nums">{formatAverage(s.avg)}</td>
            <td className="py-1 tabular-nums">{formatDuration(s.timeBelowThresholdMs)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
