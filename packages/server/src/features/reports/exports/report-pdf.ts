import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportResponse } from '@rstream/protocol';
import PDFDocument from 'pdfkit';
import { clock, comparisonLine, EXPORT_STRINGS, summaryRows, type ExportLang } from './export-strings.js';
import type { ReportSection } from '../sections/section.js';
import { graphGeometry, MOMENT_COLOURS } from './graph-geometry.js';

/**
 * The report as a PDF, made on the server with pdfkit (no browser). Japanese needs a font with
 * its glyphs on any machine: Noto Sans JP ships in an npm package (@expo-google-fonts,
 * OFL), read once; pdfkit embeds only the glyphs used, so a report stays small.
 */
const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;
function loadFonts() {
  fonts ??= {
    regular: readFileSync(
      require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf'),
    ),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf')),
  };
  return fonts;
}

export function reportPdf(
  report: ReportResponse,
  seconds: { t_sec: number; avg: number | null }[],
  lang: ExportLang,
  playbackUrl: (t: number) => string = () => '',
  sections: readonly ReportSection[] = [],
): Promise<Buffer> {
  const t = EXPORT_STRINGS[lang];
  const f = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `${report.title} — ${t.report}`, Producer: 'R-Stream', Creator: 'R-Stream' },
    lang: lang === 'ja' ? 'ja-JP' : 'en',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', f.regular);
  doc.registerFont('bold', f.bold);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  doc.font('bold').fontSize(18).fillColor('#111827').text(report.title, { width });
  doc
    .font('body')
    .fontSize(9)
    .fillColor('#6b7280')
    .text(`${t.report} · ${t.generated} ${utc(report.generatedAt)} · ${report.algorithmVersion ?? ''}`);
  doc.moveDown(0.8);

  heading(doc, t.summary);
  const rows = summaryRows(report, lang);
  const colW = width / 3;
  const top = doc.y;
  rows.forEach(([k, v], i) => {
    const x = left + (i % 3) * colW;
    const y = top + Math.floor(i / 3) * 30;
    doc
      .font('body')
      .fontSize(8)
      .fillColor('#6b7280')
      .text(k, x, y, { width: colW - 8 });
    doc
      .font('bold')
      .fontSize(11)
      .fillColor('#111827')
      .text(v, x, y + 10, { width: colW - 8 });
  });
  doc.y = top + Math.ceil(rows.length / 3) * 30 + 6;
  doc.x = left;

  heading(doc, t.graph);
  const graphTop = doc.y;
  drawGraph(doc, report, seconds, left, graphTop, width, 190);
  // drawing the labels moved the cursor: continue below the graph
  doc.y = graphTop + 198;
  doc.x = left;

  heading(doc, t.keyMoments);
  if (report.keyMoments.length === 0) doc.font('body').fontSize(10).fillColor('#111827').text(t.noMoments);
  report.keyMoments.forEach((m, i) => {
    const y = doc.y;
    doc.rect(left, y + 2, 3, 24).fill(MOMENT_COLOURS[m.kind]);
    const tag = m.participation ? ` (${t.participation})` : '';
    doc
      .font('bold')
      .fontSize(10)
      .fillColor('#111827')
      .text(`${i + 1}. ${t.kinds[m.kind]}  ${clock(m.startT)}–${clock(m.endT)}${tag}`, left + 10, y, {
        width: width - 10,
      });
    doc
      .font('body')
      .fontSize(9)
      .fillColor('#374151')
      .text(m.notes[lang], left + 10, doc.y, { width: width - 10 });
    doc.moveDown(0.4);
  });
  doc.x = left;

  for (const s of sections)
    s.pdf(report, { doc, left, width, lang, playbackUrl, heading: (text) => heading(doc, text) });
  doc.x = left;

  heading(doc, t.questions);
  if (report.questions.length === 0) doc.font('body').fontSize(10).fillColor('#111827').text(t.noQuestions);
  for (const q of report.questions) {
    doc
      .font('body')
      .fontSize(9)
      .fillColor('#111827')
      .text(`${q.t === null ? '–' : clock(q.t)}  ${q.content}${q.answer ? ` — ${q.answer}` : ''}`, { width });
  }

  heading(doc, t.comparison);
  doc.font('body').fontSize(10).fillColor('#111827').text(comparisonLine(report, lang), { width });
  doc.moveDown(0.6);
  doc
    .font('body')
    .fontSize(8)
    .fillColor('#6b7280')
    .text(t.method(report.algorithmVersion ?? ''), { width });
  doc.end();
  return done;
}

const utc = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '–');

function heading(doc: PDFKit.PDFDocument, text: string) {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 60) doc.addPage();
  doc.moveDown(0.6);
  doc.font('bold').fontSize(12).fillColor('#111827').text(text);
  doc.moveDown(0.3);
}

/** The graph as vector paths: bands for moments, grid, threshold, the average, segment levels. */
function drawGraph(
  doc: PDFKit.PDFDocument,
  report: ReportResponse,
  seconds: { t_sec: number; avg: number | null }[],
  x0: number,
  y0: number,
  w: number,
  h: number,
) {
  const g = graphGeometry(report, seconds, w, h);
  doc.save();
  doc.translate(x0, y0);
  const p = g.plot;
  for (const m of g.moments) {
    doc
      .rect(m.x1, p.y, m.x2 - m.x1, p.h)
      .fillOpacity(0.15)
      .fill(MOMENT_COLOURS[m.kind]);
    doc
      .fillOpacity(1)
      .font('bold')
      .fontSize(7)
      .fillColor(MOMENT_COLOURS[m.kind])
      .text(m.label, m.x1 + 2, p.y + 2, { lineBreak: false });
  }
  doc.fillOpacity(1);
  for (const tk of g.yTicks) {
    doc
      .moveTo(p.x, tk.y)
      .lineTo(p.x + p.w, tk.y)
      .lineWidth(0.5)
      .strokeColor('#e5e7eb')
      .stroke();
    doc
      .font('body')
      .fontSize(7)
      .fillColor('#6b7280')
      .text(tk.label, p.x - 14, tk.y - 4, { width: 8, align: 'right', lineBreak: false });
  }
  for (const tk of g.xTicks)
    doc
      .font('body')
      .fontSize(7)
      .fillColor('#6b7280')
      .text(tk.label, tk.x - 12, p.y + p.h + 4, { width: 24, align: 'center', lineBreak: false });
  if (g.threshold !== null)
    doc
      .moveTo(p.x, g.threshold)
      .lineTo(p.x + p.w, g.threshold)
      .dash(3, { space: 2 })
      .lineWidth(0.8)
      .strokeColor('#f59e0b')
      .stroke()
      .undash();
  for (const line of g.lines) {
    if (line.length < 2) continue;
    doc.moveTo(line[0]![0], line[0]![1]);
    for (const [x, y] of line.slice(1)) doc.lineTo(x, y);
    doc.lineWidth(0.8).strokeColor('#4f46e5').stroke();
  }
  for (const s of g.segments)
    doc.moveTo(s.x1, s.y).lineTo(s.x2, s.y).lineWidth(1.6).strokeColor('#111827').stroke();
  doc.restore();
}
