import { turnsResponseSchema, type ReportResponse, type Turn, type TurnsResponse } from '@rstream/protocol';
import type { TurnsService } from '../../turns/turns-service.js';
import { durationText } from '../analysis/notes.js';
import { clock, fmtLevel } from '../exports/export-strings.js';
import { escapeHtml as esc, type ReportSection } from './section.js';

/**
 * Discussion mode's "Speakers" section (issue 16): per-speaker totals (speaking time, the
 * listeners' average during their turns, best and worst turn), the turns with avg / n / delta,
 * and the reaction lag they were read with. The figures are `GET …/turns` as the report saw
 * them when it was made; key moments that fall in a turn (the lag applied) get its `turnId`.
 */
export const SPEAKER_STRINGS = {
  en: {
    title: 'Speakers',
    lag: (s: number) =>
      `Figures are read ${s} s after the words (reaction lag): listeners react a few seconds after hearing them. A speaker’s own signals are not counted in their turns.`,
    speaker: 'Speaker',
    turns: 'Turns',
    speakingTime: 'Speaking time',
    average: 'Average',
    best: 'Best turn',
    worst: 'Worst turn',
    turnsList: 'Turns',
    time: 'Time',
    n: 'n',
    delta: 'Change',
    noTurns: 'No turns were marked in this discussion.',
    during: (name: string) => `During ${name}’s turn.`,
  },
  ja: {
    title: '発言者',
    lag: (s: number) =>
      `数値は発言の${s}秒後の理解度です（反応の遅れ）：聴き手は聞いてから数秒後に反応します。発言者自身の送信は、その発言の数値に含めません。`,
    speaker: '発言者',
    turns: '発言回数',
    speakingTime: '発言時間',
    average: '平均',
    best: '最も良かった発言',
    worst: '最も低かった発言',
    turnsList: '発言の一覧',
    time: '時間',
    n: '人数',
    delta: '変化',
    noTurns: 'このディスカッションでは発言が記録されませんでした。',
    during: (name: string) => `${name}さんの発言中。`,
  },
};

const signed = (d: number | null) =>
  d === null ? '–' : `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d).toFixed(2)}`;

/**
 * The turn a moment falls in: the one whose lagged window [startT + lag, endT + lag) covers most
 * of the moment's span (a drop's span is its fall, a low's the whole stretch); an instant moment
 * falls in the window that holds it. None when no lagged window meets the moment.
 */
export function turnOf(turns: readonly Turn[], from: number, to: number, lagMs: number): Turn | undefined {
  let best: Turn | undefined;
  let bestOverlap = 0;
  for (const x of turns) {
    const a = x.startT + lagMs;
    const b = (x.endT ?? Infinity) + lagMs;
    if (to <= from) {
      if (from >= a && from < b) return x;
      continue;
    }
    const overlap = Math.min(to, b) - Math.max(from, a);
    if (overlap > bestOverlap) [best, bestOverlap] = [x, overlap];
  }
  return best;
}

const discussionOf = (report: ReportResponse): TurnsResponse | null => report.discussion ?? null;

function turnSpan(turn: Turn): [number, number] {
  return [turn.startT, turn.endT ?? turn.startT];
}

export function turnsSection(turns: () => Pick<TurnsService, 'list'>): ReportSection {
  return {
    name: 'discussion',

    async enrich(session, result) {
      if (session.mode !== 'discussion') return;
      const d = await turns().list(session);
      result.sections = { ...result.sections, discussion: d };
      for (const m of result.keyMoments) {
        const turn = turnOf(d.turns, m.startT, m.endT, d.reactionLagMs);
        if (!turn) continue;
        m.turnId = turn.id;
        const name = turn.speaker;
        m.notes = {
          en: `${m.notes.en} ${SPEAKER_STRINGS.en.during(name)}`,
          ja: `${m.notes.ja}${SPEAKER_STRINGS.ja.during(name)}`,
        };
      }
    },

    respond(result) {
      const parsed = turnsResponseSchema.safeParse(result?.sections?.discussion);
      return parsed.success ? { discussion: parsed.data } : {};
    },

    html(report, { lang, playbackUrl }) {
      const d = discussionOf(report);
      if (!d) return '';
      const t = SPEAKER_STRINGS[lang];
      const link = (turnId: string | undefined, label: string) => {
        const turn = d.turns.find((x) => x.id === turnId);
        return turn ? `<a href="${esc(playbackUrl(turn.startT))}">${esc(label)}</a>` : esc(label);
      };
      const turnLabel = (ref: { turnId: string; avg: number } | null) =>
        ref ? link(ref.turnId, `${clockOf(d, ref.turnId)} (${fmtLevel(ref.avg)})`) : '–';
      const speakers = d.speakers
        .map(
          (s) =>
            `<tr data-speaker="${esc(s.speaker)}"><td>${esc(s.speaker)}</td><td>${s.turns}</td><td>${esc(durationText(s.speakingMs)[lang])}</td><td>${fmtLevel(s.avg)}</td><td>${turnLabel(s.best)}</td><td>${turnLabel(s.worst)}</td></tr>`,
        )
        .join('');
      const list = d.turns
        .map((x, i) => {
          const [from, to] = turnSpan(x);
          return `<tr><td>${i + 1}</td><td>${esc(x.speaker)}</td><td>${link(x.id, `${clock(from)}–${clock(to)}`)}</td><td>${fmtLevel(x.avg)}</td><td>${x.n}</td><td>${signed(x.delta)}</td></tr>`;
        })
        .join('');
      const body = d.turns.length
        ? `<table class="speakers"><tr><th>${t.speaker}</th><th>${t.turns}</th><th>${t.speakingTime}</th><th>${t.average}</th><th>${t.best}</th><th>${t.worst}</th></tr>${speakers}</table>
<h3>${t.turnsList}</h3><table class="turns"><tr><th>#</th><th>${t.speaker}</th><th>${t.time}</th><th>${t.average}</th><th>${t.n}</th><th>${t.delta}</th></tr>${list}</table>`
        : `<p>${t.noTurns}</p>`;
      return `<section id="speakers"><h2>${t.title}</h2>
<p class="muted">${esc(t.lag(d.reactionLagMs / 1000))}</p>
${body}</section>`;
    },

    pdf(report, { doc, left, width, heading, lang, playbackUrl }) {
      const d = discussionOf(report);
      if (!d) return;
      const t = SPEAKER_STRINGS[lang];
      heading(t.title);
      doc
        .font('body')
        .fontSize(8)
        .fillColor('#6b7280')
        .text(t.lag(d.reactionLagMs / 1000), left, doc.y, { width });
      doc.moveDown(0.4);
      if (d.turns.length === 0) {
        doc.font('body').fontSize(10).fillColor('#111827').text(t.noTurns, left, doc.y, { width });
        return;
      }
      const ref = (r: { turnId: string; avg: number } | null) =>
        r ? { text: `${clockOf(d, r.turnId)} (${fmtLevel(r.avg)})`, t: startOf(d, r.turnId) } : { text: '–' };
      table(
        doc,
        left,
        width,
        [0.24, 0.1, 0.18, 0.12, 0.18, 0.18],
        [
          [t.speaker, t.turns, t.speakingTime, t.average, t.best, t.worst],
          ...d.speakers.map((s) => {
            const best = ref(s.best);
            const worst = ref(s.worst);
            return [
              s.speaker,
              String(s.turns),
              durationText(s.speakingMs)[lang],
              fmtLevel(s.avg),
              { text: best.text, link: best.t === undefined ? undefined : playbackUrl(best.t) },
              { text: worst.text, link: worst.t === undefined ? undefined : playbackUrl(worst.t) },
            ];
          }),
        ],
      );
      doc.moveDown(0.5);
      doc.font('bold').fontSize(10).fillColor('#111827').text(t.turnsList, left, doc.y);
      doc.moveDown(0.2);
      table(
        doc,
        left,
        width,
        [0.08, 0.32, 0.2, 0.14, 0.12, 0.14],
        [
          ['#', t.speaker, t.time, t.average, t.n, t.delta],
          ...d.turns.map((x, i) => {
            const [from, to] = turnSpan(x);
            return [
              String(i + 1),
              x.speaker,
              { text: `${clock(from)}–${clock(to)}`, link: playbackUrl(x.startT) },
              fmtLevel(x.avg),
              String(x.n),
              signed(x.delta),
            ];
          }),
        ],
      );
      doc.x = left;
    },
  };
}

const startOf = (d: TurnsResponse, turnId: string) => d.turns.find((x) => x.id === turnId)?.startT;
const clockOf = (d: TurnsResponse, turnId: string) => {
  const s = startOf(d, turnId);
  return s === undefined ? '–' : clock(s);
};

type Cell = string | { text: string; link?: string | undefined };

/** A plain table: the first row is the header; a cell with a link is blue and underlined. */
function table(doc: PDFKit.PDFDocument, left: number, width: number, cols: number[], rows: Cell[][]) {
  rows.forEach((row, r) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
    const y = doc.y;
    let x = left;
    let bottom = y;
    row.forEach((cell, i) => {
      const w = cols[i]! * width - 4;
      const c = typeof cell === 'string' ? { text: cell } : cell;
      doc
        .font(r === 0 ? 'bold' : 'body')
        .fontSize(r === 0 ? 8 : 9)
        .fillColor(c.link ? '#1d4ed8' : r === 0 ? '#374151' : '#111827')
        .text(c.text, x, y, { width: w, link: c.link, underline: Boolean(c.link) });
      bottom = Math.max(bottom, doc.y);
      x += cols[i]! * width;
    });
    doc.y = bottom + 2;
  });
  doc.x = left;
}
