import type { HistoryPoint, ReportResponse } from '@rstream/protocol';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Link, type Params } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatDateTime } from '../../ui/format';
import { useDocumentTitle } from '../../ui/hooks';
import { ReportSpeakers } from '../discussion/ReportSpeakers';
import { reportApi, type ExportKind } from './report-api';
import { ReportGraph } from './ReportGraph';
import { Comparison, MomentCard, QuestionsList, SummaryGrid } from './ReportSections';
import { ReportVideo } from '../video/ReportVideo';
import { useVideoT } from '../video/strings';
import { useReportT } from './strings';

const POLL_MS = 2000;
const EXPORTS: [ExportKind, 'r.export.pdf' | 'r.export.html' | 'r.export.csv' | 'r.export.momentsCsv'][] = [
  ['pdf', 'r.export.pdf'],
  ['html', 'r.export.html'],
  ['csv', 'r.export.csv'],
  ['momentsCsv', 'r.export.momentsCsv'],
];

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="mb-3 text-xl font-bold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** /archive/:sessionId/report — what the analysis found, once the session has ended. */
export function ReportPage({ params }: { params: Params }) {
  const sessionId = params.sessionId ?? '';
  const { t, lang } = useI18n();
  const rt = useReportT();
  const vt = useVideoT();
  const [report, setReport] = useState<ReportResponse | null>(null);
  const [points, setPoints] = useState<HistoryPoint[]>([]);
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(report ? `${report.title} — ${rt('r.title')}` : rt('r.title'));

  // Loads the report; while it is pending (just ended), asks again until it is ready.
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const r = await reportApi.get(sessionId, lang);
        if (stop) return;
        setReport(r);
        setError(null);
        if (r.status === 'ready') {
          const h = await reportApi.series(sessionId);
          if (!stop) setPoints(h.points);
        } else if (r.status === 'pending' && r.sessionStatus === 'ended') {
          timer = setTimeout(() => void load(), POLL_MS);
        }
      } catch (err) {
        if (!stop) setError(errorMessage(err, t));
      }
    };
    void load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [sessionId, lang, t]);

  const download = async (kind: ExportKind) => {
    try {
      await reportApi.download(sessionId, kind, lang);
    } catch {
      setError(rt('r.exportFailed'));
    }
  };

  return (
    <div className="mx-auto max-w-6xl px-4 py-8" data-testid="report-page">
      <Link to="/sessions" className="text-sm text-muted underline">
        {rt('r.back')}
      </Link>
      <div className="mt-2 flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm font-semibold uppercase tracking-wide text-muted">{rt('r.title')}</p>
          <h1 className="text-3xl font-bold">{report?.title ?? '…'}</h1>
          {report?.generatedAt && (
            <p className="text-sm text-muted">
              {rt('r.generated', {
                time: formatDateTime(report.generatedAt, lang),
                version: report.algorithmVersion ?? '',
              })}
            </p>
          )}
        </div>
        {report?.status === 'ready' && (
          <div className="flex flex-wrap items-center gap-2" role="group" aria-label={rt('r.export')}>
            <span className="text-sm text-muted">{rt('r.export')}</span>
            {EXPORTS.map(([kind, key]) => (
              <Button
                key={kind}
                variant="secondary"
                size="sm"
                onClick={() => void download(kind)}
                data-testid={`export-${kind}`}
              >
                ⤓ {rt(key)}
              </Button>
            ))}
          </div>
        )}
      </div>

      {error && (
        <div className="mt-4">
          <Alert kind="error">{error}</Alert>
        </div>
      )}
      {!report && !error && <p className="mt-6 text-muted">{rt('r.loading')}</p>}
      {report?.status === 'pending' && (
        <p className="mt-6 rounded-xl border border-line bg-white p-4" data-testid="report-pending">
          {report.sessionStatus === 'ended' ? rt('r.pending') : rt('r.pendingLive')}
        </p>
      )}
      {report?.status === 'failed' && (
        <div className="mt-6">
          <Alert kind="error">{rt('r.failed', { error: report.error ?? '?' })}</Alert>
        </div>
      )}

      {report?.status === 'ready' && report.summary && (
        <>
          <Section id="report-summary-title" title={rt('r.summary')}>
            <SummaryGrid report={report} />
          </Section>
          <Section id="report-graph-title" title={rt('r.graph')}>
            <div className="rounded-2xl border border-line bg-white p-4 shadow-sm">
              <ReportGraph
                points={points}
                segments={report.segments}
                moments={report.keyMoments}
                threshold={report.summary.threshold}
                durationMs={report.summary.durationMs}
              />
            </div>
          </Section>
          {report.video && (
            <Section id="report-video-title" title={vt('v.report.title')}>
              <ReportVideo section={report.video} />
            </Section>
          )}
          <Section id="report-moments-title" title={rt('r.moments')}>
            {report.keyMoments.length === 0 ? (
              <p className="text-muted">{rt('r.noMoments')}</p>
            ) : (
              <ol className="grid gap-3 md:grid-cols-2">
                {report.keyMoments.map((m, i) => (
                  <MomentCard key={m.id} moment={m} index={i} report={report} />
                ))}
              </ol>
            )}
          </Section>
          {report.discussion && <ReportSpeakers sessionId={report.sessionId} data={report.discussion} />}
          <Section id="report-questions-title" title={rt('r.questions')}>
            <QuestionsList report={report} />
          </Section>
          <Section id="report-comparison-title" title={rt('r.comparison')}>
            <Comparison report={report} />
          </Section>
          <p className="mt-8 text-sm text-muted">
            {rt('r.method', { version: report.algorithmVersion ?? '' })}
          </p>
        </>
      )}
    </div>
  );
}
