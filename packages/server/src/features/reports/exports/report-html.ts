import type { ReportResponse } from '@rstream/protocol';
import { clock, comparisonLine, EXPORT_STRINGS, summaryRows, type ExportLang } from './export-strings.js';
import type { ReportSection } from '../sections/section.js';
import { graphGeometry, MOMENT_COLOURS } from './graph-geometry.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function svgGraph(report: ReportResponse, seconds: { t_sec: number; avg: number | null }[]): string {
  const g = graphGeometry(report, seconds, 760, 240);
  const p = g.plot;
  const parts: string[] = [];
  for (const m of g.moments) {
    parts.push(
      `<rect x="${m.x1}" y="${p.y}" width="${m.x2 - m.x1}" height="${p.h}" fill="${MOMENT_COLOURS[m.kind]}" fill-opacity="0.15"/>`,
      `<text x="${m.x1 + 2}" y="${p.y + 11}" font-size="10" fill="${MOMENT_COLOURS[m.kind]}">${m.label}</text>`,
    );
  }
  for (const t of g.yTicks)
    parts.push(
      `<line x1="${p.x}" x2="${p.x + p.w}" y1="${t.y}" y2="${t.y}" stroke="#e5e7eb"/>`,
      `<text x="${p.x - 8}" y="${t.y + 3}" font-size="10" text-anchor="end" fill="#6b7280">${t.label}</text>`,
    );
  for (const t of g.xTicks)
    parts.push(
      `<text x="${t.x}" y="${p.y + p.h + 14}" font-size="10" text-anchor="middle" fill="#6b7280">${t.label}</text>`,
    );
  if (g.threshold !== null)
    parts.push(
      `<line x1="${p.x}" x2="${p.x + p.w}" y1="${g.threshold}" y2="${g.threshold}" stroke="#f59e0b" stroke-dasharray="4 3"/>`,
    );
  for (const line of g.lines)
    parts.push(
      `<polyline fill="none" stroke="#4f46e5" stroke-width="1.2" points="${line.map(([x, y]) => `${x},${y}`).join(' ')}"/>`,
    );
  for (const s of g.segments)
    parts.push(`<line x1="${s.x1}" x2="${s.x2}" y1="${s.y}" y2="${s.y}" stroke="#111827" stroke-width="2"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${g.width} ${g.height}" width="100%" role="img">${parts.join('')}</svg>`;
}

/** The report as one self-contained HTML file: inline CSS and SVG, no scripts, no requests. */
export function reportHtml(
  report: ReportResponse,
  seconds: { t_sec: number; avg: number | null }[],
  lang: ExportLang,
  playbackUrl: (t: number) => string,
  sections: readonly ReportSection[] = [],
): string {
  const t = EXPORT_STRINGS[lang];
  const rows = summaryRows(report, lang)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  const moments = report.keyMoments.length
    ? report.keyMoments
        .map(
          (m, i) => `<li class="moment" style="border-color:${MOMENT_COLOURS[m.kind]}">
  <div><strong>${i + 1}. ${esc(t.kinds[m.kind])}</strong> <a href="${esc(playbackUrl(m.startT))}">${clock(m.startT)}–${clock(m.endT)}</a>${
    m.participation ? ` <span class="tag">${esc(t.participation)}</span>` : ''
  }</div>
  <p>${esc(m.notes[lang])}</p></li>`,
        )
        .join('\n')
    : `<li>${esc(t.noMoments)}</li>`;
  const questions = report.questions.length
    ? report.questions
        .map(
          (q) =>
            `<li><span class="time">${q.t === null ? '–' : clock(q.t)}</span> ${esc(q.content)}${q.answer ? `<br><em>${esc(q.answer)}</em>` : ''}</li>`,
        )
        .join('\n')
    : `<li>${esc(t.noQuestions)}</li>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(report.title)} — ${esc(t.report)}</title>
<style>
body{font-family:system-ui,"Noto Sans JP","Hiragino Sans",sans-serif;max-width:820px;margin:2rem auto;padding:0 1rem;color:#111827}
h1{font-size:1.5rem;margin:0}h2{font-size:1.1rem;margin-top:2rem}.muted{color:#6b7280;font-size:.875rem}
table{border-collapse:collapse}th,td{text-align:left;padding:.25rem 1rem .25rem 0}th{font-weight:500;color:#374151}
ul{list-style:none;padding:0}.moment{border-left:4px solid;padding:.25rem .75rem;margin:.5rem 0}.moment p{margin:.25rem 0}
table.speakers td,table.turns td{font-variant-numeric:tabular-nums}h3{font-size:1rem}
.tag{background:#fef3c7;border-radius:4px;padding:0 .4rem;font-size:.8rem}.time{font-variant-numeric:tabular-nums;color:#6b7280;margin-right:.5rem}
</style></head><body>
<h1>${esc(report.title)}</h1>
<p class="muted">${esc(t.report)} · ${esc(t.generated)} ${esc(report.generatedAt ? `${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC` : '–')} · ${esc(report.algorithmVersion ?? '')}</p>
<h2>${esc(t.summary)}</h2><table>${rows}</table>
<h2>${esc(t.graph)}</h2>${svgGraph(report, seconds)}
<h2>${esc(t.keyMoments)}</h2><ul>${moments}</ul>
${sections.map((s) => s.html(report, { lang, playbackUrl })).join('')}
<h2>${esc(t.questions)}</h2><ul>${questions}</ul>
<h2>${esc(t.comparison)}</h2><p>${esc(comparisonLine(report, lang))}</p>
<p class="muted">${esc(t.method(report.algorithmVersion ?? ''))}</p>
</body></html>
`;
}
