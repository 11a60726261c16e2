import type { KeyMomentKind, ReportResponse } from '@rstream/protocol';
import { durationText } from '../analysis/notes.js';

/** The words of the HTML and PDF exports, in English and Japanese. */
export const EXPORT_STRINGS = {
  en: {
    report: 'Session report',
    generated: 'Generated',
    summary: 'Summary',
    duration: 'Duration',
    participants: 'Listeners',
    signalled: 'Signalled',
    signals: 'Signals',
    average: 'Average',
    median: 'Median',
    range: 'Min – max',
    below: (t: number) => `Time below ${t.toFixed(1)}`,
    questions: 'Questions',
    askedAnswered: (a: number, b: number) => `${a} asked, ${b} answered`,
    graph: 'Understanding over time',
    keyMoments: 'Key moments',
    noMoments: 'No key moments: the understanding stayed steady.',
    noQuestions: 'No questions were asked.',
    participation: 'participation',
    comparison: 'Compared with your previous sessions',
    noComparison: 'No earlier sessions with a report yet.',
    trend: { up: 'better than before', down: 'lower than before', flat: 'about the same as before' },
    segments: 'segments',
    method: (v: string) =>
      `Analysis ${v}: PELT change points on the per-second average, weighted by listeners counted.`,
    kinds: { drop: 'Drop', recovery: 'Recovery', low: 'Low', peak: 'Peak' } as Record<KeyMomentKind, string>,
    notReady: 'The report is not ready yet.',
  },
  ja: {
    report: 'セッションレポート',
    generated: '作成日時',
    summary: '概要',
    duration: '時間',
    participants: '聴き手',
    signalled: '理解度を送った聴き手',
    signals: '送信数',
    average: '平均',
    median: '中央値',
    range: '最小 – 最大',
    below: (t: number) => `${t.toFixed(1)}未満の時間`,
    questions: '質問',
    askedAnswered: (a: number, b: number) => `${a}件（回答済み${b}件）`,
    graph: '理解度の推移',
    keyMoments: '重要な場面',
    noMoments: '重要な場面はありません。理解度は安定していました。',
    noQuestions: '質問はありませんでした。',
    participation: '参加の減少',
    comparison: 'これまでのセッションとの比較',
    noComparison: 'レポートのある過去のセッションはまだありません。',
    trend: { up: '以前より良い', down: '以前より低い', flat: '以前とほぼ同じ' },
    segments: '区間',
    method: (v: string) => `分析 ${v}：聴き手の人数で重み付けした毎秒の平均に PELT 変化点検出を適用。`,
    kinds: { drop: '低下', recovery: '回復', low: '低迷', peak: 'ピーク' } as Record<KeyMomentKind, string>,
    notReady: 'レポートはまだできていません。',
  },
};
export type ExportLang = keyof typeof EXPORT_STRINGS;

export const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
};

export const fmtLevel = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : x.toFixed(2);

/** The summary as label/value rows, shared by the HTML and the PDF. */
export function summaryRows(r: ReportResponse, lang: ExportLang): [string, string][] {
  const t = EXPORT_STRINGS[lang];
  const s = r.summary;
  if (!s) return [];
  return [
    [t.duration, durationText(s.durationMs)[lang]],
    [t.participants, String(s.participants)],
    [t.signalled, String(s.signalled)],
    [t.signals, String(s.signals)],
    [t.average, fmtLevel(s.avg)],
    [t.median, fmtLevel(s.median)],
    [t.range, `${fmtLevel(s.min)} – ${fmtLevel(s.max)}`],
    [t.below(s.threshold), durationText(s.timeBelowThresholdMs)[lang]],
    [t.questions, t.askedAnswered(s.questions.asked, s.questions.answered)],
  ];
}

export function comparisonLine(r: ReportResponse, lang: ExportLang): string {
  const t = EXPORT_STRINGS[lang];
  const c = r.comparison;
  if (!c || c.previous.length === 0) return t.noComparison;
  const prevAvg = c.previous.map((p) => p.avg).filter((a): a is number => a !== null);
  const mean = prevAvg.length ? prevAvg.reduce((a, b) => a + b, 0) / prevAvg.length : null;
  const trend = c.trend ? t.trend[c.trend] : '';
  return lang === 'ja'
    ? `過去${c.previous.length}回の平均 ${fmtLevel(mean)} に対し今回 ${fmtLevel(r.summary?.avg)}：${trend}`
    : `Previous ${c.previous.length} session(s): average ${fmtLevel(mean)}; this one ${fmtLevel(r.summary?.avg)} — ${trend}`;
}
