import type { LocalizedText } from '@rstream/protocol';

/** Plain-language notes for key moments, in English and Japanese (聴き手 = listeners). */

export function durationText(ms: number): LocalizedText {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const en: string[] = [];
  const ja: string[] = [];
  if (h) {
    en.push(`${h} h`);
    ja.push(`${h}時間`);
  }
  if (m) {
    en.push(`${m} min`);
    ja.push(`${m}分`);
  }
  if (s || (!h && !m)) {
    en.push(`${s} s`);
    ja.push(`${s}秒`);
  }
  return { en: en.join(' '), ja: ja.join('') };
}

const lvl = (x: number | null) => (x === null ? '–' : x.toFixed(1));

function questionsText(count: number): LocalizedText {
  if (count === 0) return { en: 'no questions were asked', ja: '質問はありませんでした' };
  if (count === 1) return { en: '1 question was asked', ja: '質問が1件ありました' };
  return { en: `${count} questions were asked`, ja: `質問が${count}件ありました` };
}

export function dropNote(o: {
  fromAvg: number | null;
  toAvg: number | null;
  fallMs: number;
  questions: number;
  recoveryMs: number | null;
}): LocalizedText {
  const fall = durationText(o.fallMs);
  const q = questionsText(o.questions);
  const rec =
    o.recoveryMs === null
      ? { en: 'it had not recovered by the end', ja: '終了までに回復しませんでした' }
      : (() => {
          const d = durationText(o.recoveryMs);
          return { en: `it recovered after ${d.en}`, ja: `${d.ja}後に回復しました` };
        })();
  return {
    en: `The average fell from ${lvl(o.fromAvg)} to ${lvl(o.toAvg)} in ${fall.en}; ${q.en}; ${rec.en}.`,
    ja: `平均が${fall.ja}で${lvl(o.fromAvg)}から${lvl(o.toAvg)}に下がりました。${q.ja}。${rec.ja}。`,
  };
}

export function participationNote(o: {
  nBefore: number;
  n: number;
  fromAvg: number | null;
  toAvg: number | null;
}): LocalizedText {
  const a = Math.round(o.nBefore);
  const b = Math.round(o.n);
  return {
    en: `Fewer listeners signalled (${a} → ${b}) while the average went from ${lvl(o.fromAvg)} to ${lvl(o.toAvg)}: a fall in participation, not necessarily in understanding.`,
    ja: `理解度を送る聴き手が減りました（${a}人→${b}人）。平均は${lvl(o.fromAvg)}から${lvl(o.toAvg)}で、理解の低下ではなく参加の減少と考えられます。`,
  };
}

export function recoveryNote(o: {
  fromAvg: number | null;
  toAvg: number | null;
  riseMs: number;
  recoveryMs: number;
  questions: number;
}): LocalizedText {
  const rise = durationText(o.riseMs);
  const total = durationText(o.recoveryMs);
  const q = questionsText(o.questions);
  return {
    en: `The average climbed back from ${lvl(o.fromAvg)} to ${lvl(o.toAvg)} in ${rise.en}, ${total.en} after the drop began; ${q.en}.`,
    ja: `平均が${rise.ja}で${lvl(o.fromAvg)}から${lvl(o.toAvg)}に戻りました（下がり始めてから${total.ja}）。${q.ja}。`,
  };
}

export function lowNote(o: {
  threshold: number;
  lengthMs: number;
  mean: number | null;
  questions: number;
}): LocalizedText {
  const d = durationText(o.lengthMs);
  const q = questionsText(o.questions);
  return {
    en: `The average stayed below ${o.threshold.toFixed(1)} for ${d.en} (mean ${lvl(o.mean)}); ${q.en}.`,
    ja: `平均が${d.ja}にわたって${o.threshold.toFixed(1)}を下回りました（平均${lvl(o.mean)}）。${q.ja}。`,
  };
}

export function peakNote(o: { avg: number | null; lengthMs: number; n: number }): LocalizedText {
  const d = durationText(o.lengthMs);
  const n = Math.round(o.n);
  return {
    en: `The best stretch: an average of ${lvl(o.avg)} for ${d.en}, with ${n} listeners counted.`,
    ja: `最も理解度が高かった区間：${d.ja}にわたり平均${lvl(o.avg)}（聴き手${n}人）。`,
  };
}
