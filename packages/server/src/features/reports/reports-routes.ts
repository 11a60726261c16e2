import {
  reportCsvQuerySchema,
  reportQuerySchema,
  reportResponseSchema,
  type ReportResponse,
} from '@rstream/protocol';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { conflict } from '../../errors.js';
import { baseUrlOf } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import { sendBytes } from '../../http/send-bytes.js';
import { clock } from './exports/export-strings.js';
import { momentsCsv, secondsCsv } from './exports/report-csv.js';
import { reportHtml } from './exports/report-html.js';
import type { Lang, ReportsService } from './reports-service.js';

const params = z.object({ id: z.string().describe('session id') });
const tags = ['reports'];

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
export function registerReportRoutes(app: FeatureApp, reports: ReportsService) {
  const { guards, config } = app;
  /** The caller's session and its ready report in the language asked (409 until it is ready). */
  const readyReport = async (req: FastifyRequest, sessionId: string, asked: Lang | undefined) => {
    const { session } = await guards.requireSpeaker(req, sessionId);
    const lang = langOf(req, asked);
    const report = await reports.get(session, lang);
    if (report.status !== 'ready') throw notReady(report);
    const base = baseUrlOf(req, config);
    const playbackUrl = (t: number) => `${base}/archive/${session.id}?t=${clock(t)}`;
    return { session, lang, report, playbackUrl };
  };

  app.get(
    '/api/sessions/:id/report',
    {
      schema: {
        tags,
        summary: 'The session report (host, presenter); pending until the session has ended and it is made',
        params,
        querystring: reportQuerySchema,
        response: { 200: reportResponseSchema },
      },
    },
    async (req, reply) => {
      const { session } = await guards.requireSpeaker(req, req.params.id);
      const q = req.query;
      reply.header('cache-control', 'no-store');
      return reports.get(session, langOf(req, q.lang));
    },
  );

  app.get(
    '/api/sessions/:id/report.html',
    {
      schema: {
        tags,
        summary: 'The report as one self-contained HTML file',
        params,
        querystring: reportQuerySchema,
        response: { 200: z.string().describe('text/html') },
      },
    },
    async (req, reply) => {
      const { session, lang, report, playbackUrl } = await readyReport(req, req.params.id, req.query.lang);
      const html = reportHtml(report, await reports.seconds(session.id), lang, playbackUrl, reports.sections);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-disposition', `inline; filename="${filename(report, 'html')}"`)
        .header('cache-control', 'private, no-store')
        .send(html);
    },
  );

  app.get(
    '/api/sessions/:id/report.pdf',
    {
      schema: {
        tags,
        summary: 'The report as a PDF (Japanese and English text, the graph as vector paths)',
        params,
        querystring: reportQuerySchema,
        response: { 200: z.string().describe('application/pdf') },
      },
    },
    async (req, reply) => {
      const { session, lang, report, playbackUrl } = await readyReport(req, req.params.id, req.query.lang);
      // pdfkit (~200 ms to load) only once somebody asks for a PDF, not at every start
      const { reportPdf } = await import('./exports/report-pdf.js');
      const pdf = await reportPdf(
        report,
        await reports.seconds(session.id),
        lang,
        playbackUrl,
        reports.sections,
      );
      reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename(report, 'pdf')}"`)
        .header('cache-control', 'private, no-store');
      return sendBytes(reply, pdf);
    },
  );

  app.get(
    '/api/sessions/:id/report.csv',
    {
      schema: {
        tags,
        summary: 'The stored per-second series (t_ms, avg, n, c1..c5), or the key moments (?table=moments)',
        params,
        querystring: reportCsvQuerySchema,
        response: { 200: z.string().describe('text/csv') },
      },
    },
    async (req, reply) => {
      const { session } = await guards.requireSpeaker(req, req.params.id);
      const q = req.query;
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
    },
  );
}
