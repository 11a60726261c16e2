import { reportVideoSectionSchema, type ReportResponse, type ReportVideoSection } from '@rstream/protocol';
import type { SessionRow } from '../../sessions/sessions-repo.js';
import { clock, type ExportLang } from '../exports/export-strings.js';
import { escapeHtml, type ReportSection } from './section.js';

/**
 * The report's video section (video sessions): every showing of the video as a cohort on the
 * video's own time, and the minutes where all of them dip. Built by the videos feature
 * (`app.reports.setVideoSource`), rendered here for the JSON, HTML and PDF reports; `keyMoment.videoMs` is
 * the video position at each moment's start.
 */
export type VideoSectionSource = (
  session: SessionRow,
) => Promise<{ section: ReportVideoSection; videoMsAt(t: number): number | null } | null>;

/**
 * The video section as one of the report's sections (section.ts), like the discussion's speakers:
 * computed once when the report is made (cohorts as they stood then, stored in
 * `result.sections.video`), `keyMoments[].videoMs` filled, then answered and drawn from what was
 * stored. `source` is the videos feature's (null until that feature is registered).
 */
export function videoSection(source: () => VideoSectionSource | null | undefined): ReportSection {
  return {
    name: 'video',
    async enrich(session, result) {
      const build = source();
      if (!build || session.mode !== 'video') return;
      const built = await build(session);
      result.sections = { ...result.sections, video: built?.section ?? null };
      if (!built) return;
      for (const m of result.keyMoments) {
        const videoMs = built.videoMsAt(m.startT);
        if (videoMs !== null) m.videoMs = videoMs;
      }
    },
    respond(result) {
      const stored = result?.sections?.video;
      if (stored === undefined) return {};
      const parsed = reportVideoSectionSchema.nullable().safeParse(stored);
      return parsed.success ? { video: parsed.data } : {};
    },
    html: (report, { lang }) => videoSectionHtml(report, lang, escapeHtml),
    pdf: (report, { doc, lang, heading, width }) =>
      videoSectionPdf(doc, report, lang, (_doc, text) => heading(text), width),
  };
}

const STRINGS = {
  en: {
    heading: 'The video across its showings',
    intro: (title: string, n: number) =>
      `“${title}”: ${n} showing${n === 1 ? '' : 's'}, on the video’s own time.`,
    cols: ['Showing', 'Started', 'Viewers', 'Average'],
    current: ' (this one)',
    dips: 'Minutes where every showing dips (worth re-making)',
    noDips: 'No minute where every showing dips.',
    dip: (from: string, to: string, avg: number, n: number) =>
      `${from}–${to} of the video: average ${avg.toFixed(2)} over ${n} showing${n === 1 ? '' : 's'}`,
    paused: (n: number) =>
      `${n} signal${n === 1 ? '' : 's'} given while the video was paused (not on the video curve).`,
  },
  ja: {
    heading: '上映ごとの比較（動画の時間軸）',
    intro: (title: string, n: number) => `「${title}」：${n} 回の上映を動画の時間軸で比較。`,
    cols: ['上映', '開始', '視聴者', '平均'],
    current: '（今回）',
    dips: 'すべての上映で理解度が下がった箇所（作り直す価値のある部分）',
    noDips: 'すべての上映で下がった箇所はありません。',
    dip: (from: string, to: string, avg: number, n: number) =>
      `動画の ${from}–${to}：${n} 回の上映の平均 ${avg.toFixed(2)}`,
    paused: (n: number) => `一時停止中の理解度入力 ${n} 件（動画の曲線には含みません）。`,
  },
} as const;

const utc = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '–');
const rows = (v: ReportVideoSection, lang: ExportLang) =>
  v.cohorts.map((c) => [
    c.title + (c.current ? STRINGS[lang].current : ''),
    utc(c.startedAt),
    String(c.participants),
    c.avg === null || c.avg === undefined ? '–' : c.avg.toFixed(2),
  ]);
const dipLines = (v: ReportVideoSection, lang: ExportLang) =>
  v.dips.map((d) => STRINGS[lang].dip(clock(d.startMs), clock(d.endMs), d.avg, d.cohorts));

/** The section as plain text lines (the `rstream report` command), empty when there is none. */
export function videoSectionText(
  v: ReportVideoSection | null | undefined,
  lang: ExportLang = 'en',
): string[] {
  if (!v) return [];
  const t = STRINGS[lang];
  const dips = dipLines(v, lang);
  return [
    `${t.heading}: ${t.intro(v.title, v.cohorts.length)}`,
    ...rows(v, lang).map((r) => `  ${r.join('  ·  ')}`),
    `${t.dips}:`,
    ...(dips.length ? dips : [t.noDips]).map((d) => `  ${d}`),
    ...(v.pausedSignals > 0 ? [t.paused(v.pausedSignals)] : []),
  ];
}

export function videoSectionHtml(
  report: ReportResponse,
  lang: ExportLang,
  esc: (s: string) => string,
): string {
  const v = report.video;
  if (!v) return '';
  const t = STRINGS[lang];
  const head = t.cols.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = rows(v, lang)
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('');
  const dips = dipLines(v, lang);
  return `<h2>${esc(t.heading)}</h2><p>${esc(t.intro(v.title, v.cohorts.length))}</p>
<table class="video-cohorts"><tr>${head}</tr>${body}</table>
<h3>${esc(t.dips)}</h3><ul>${dips.length ? dips.map((d) => `<li>${esc(d)}</li>`).join('') : `<li>${esc(t.noDips)}</li>`}</ul>
${v.pausedSignals > 0 ? `<p class="muted">${esc(t.paused(v.pausedSignals))}</p>` : ''}`;
}

export function videoSectionPdf(
  doc: PDFKit.PDFDocument,
  report: ReportResponse,
  lang: ExportLang,
  heading: (doc: PDFKit.PDFDocument, text: string) => void,
  width: number,
): void {
  const v = report.video;
  if (!v) return;
  const t = STRINGS[lang];
  heading(doc, t.heading);
  doc.font('body').fontSize(10).fillColor('#111827').text(t.intro(v.title, v.cohorts.length), { width });
  for (const r of rows(v, lang)) doc.font('body').fontSize(9).text(r.join('  ·  '), { width });
  doc.moveDown(0.3);
  doc.font('bold').fontSize(10).text(t.dips, { width });
  const dips = dipLines(v, lang);
  for (const d of dips.length ? dips : [t.noDips]) doc.font('body').fontSize(9).text(d, { width });
  if (v.pausedSignals > 0)
    doc.font('body').fontSize(8).fillColor('#6b7280').text(t.paused(v.pausedSignals), { width });
}
