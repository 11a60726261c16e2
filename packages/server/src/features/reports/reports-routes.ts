import { reportCsvQuerySchema, reportQuerySchema, type ReportResponse } from '@rstream/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { conflict } from '../../errors.js';
import { baseUrlOf, type Guards } from '../../http/caller.js';
import { parse } from '../../http/validate.js';
import { clock } from './exports/export-strings.js';
import { momentsCsv, secondsCsv } from './exports/report-csv.js';
import { reportHtml } from './exports/report-html.js';
import { reportPdf } from './exports/report-pdf.js';
import type { Lang, ReportsService } from './reports-service.js';

type IdParams = { Params: { id: string } };

/** `?lang=` wins; otherwise the browser's first preference between Japanese and English. */
export function langOf(req: FastifyRequest, asked: Lang | undefined): Lang {
  if (asked) return asked;
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  const ja = header.indexOf('ja');
  const en = header.indexOf('en');
  return ja >= 0 && (en < 0 || ja < en) ? 'ja' : 'en';
}

const notReady = (r: ReportResponse) =>
  conflict(
    'REPORT_NOT_READY',
    r.status === 'failed'
      ? 'Making the report failed; it is retried on its own, or run `rstream report <sessionId>`.'
      : 'The report is made when the session ends; try again in a few seconds.',
  );

const filename = (r: ReportResponse, ext: string) => `report-${r.sessionId}.${ext}`;

/** The session report and its exports: the host and invited presenters only (docs/api.md). */
export function registerReportRoutes(
  app: FastifyInstance,
  deps: { guards: Guards; reports: ReportsService; config: Pick<Config, 'PUBLIC_URL'> },
) {
  const { guards, reports } = deps;

  app.get<IdParams>('/api/sessions/:id/report', async (req, reply) => {
    const { session } = await guards.requireSpeaker(req, req.params.id);
    const q = parse(reportQuerySchema, req.query, 'query');
    reply.header('cache-control', 'no-store');
    return reports.get(session, langOf(req, q.lang));
  });

  app.get<IdParams>('/api/sessions/:id/report.html', async (req, reply) => {
    const { session } = await guards.requireSpeaker(req, req.params.id);
    const q = parse(reportQuerySchema, req.query, 'query');
    const lang = langOf(req, q.lang);
    const report = await reports.get(session, lang);
    if (report.status !== 'ready') throw notReady(report);
    const base = baseUrlOf(req, deps.config);
    const html = reportHtml(
      report,
      await reports.seconds(session.id),
      lang,
      (t) => `${base}/archive/${session.id}?t=${clock(t)}`,
    );
    return reply
      .type('text/html; charset=utf-8')
      .header('content-disposition', `inline; filename="${filename(report, 'html')}"`)
      .header('cache-control', 'private, no-store')
      .send(html);
  });

  app.get<IdParams>('/api/sessions/:id/report.pdf', async (req, reply) => {
    const { session } = await guards.requireSpeaker(req, req.params.id);
    const q = parse(reportQuerySchema, req.query, 'query');
    const lang = langOf(req, q.lang);
    const report = await reports.get(session, lang);
    if (report.status !== 'ready') throw notReady(report);
    const pdf = await reportPdf(report, await reports.seconds(session.id), lang);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${filename(report, 'pdf')}"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  app.get<IdParams>('/api/sessions/:id/report.csv', async (req, reply) => {
    const { session } = await guards.requireSpeaker(req, req.params.id);
    const q = parse(reportCsvQuerySchema, req.query, 'query');
    let body: string;
    let name: string;
    if (q.table === 'moments') {
      const report = await reports.get(session, langOf(req, q.lang));
      if (report.status !== 'ready') throw notReady(report);
      body = momentsCsv(report.keyMoments);
      name = `report-${session.id}-moments.csv`;
    } else {
      body = secondsCsv(await reports.seconds(session.id));
      name = `report-${session.id}-seconds.csv`;
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'private, no-store')
      .send(body);
  });
}
