import { dictionaryHook } from '../../app/i18n';

/** The speaker screen's own strings (ended session, presentation view, partial graph, lines, share panel). */
const en = {
  'sp.duration': 'Duration',
  'sp.joined': 'Participants',
  'sp.finalAvg': 'Final average',
  'sp.meanAvg': 'Mean average',
  'sp.ended': 'This session has ended{time}: nothing more can be signalled, asked, answered or recorded.',
  'sp.endedAt': ' at {time}',
  'sp.endedSettings': 'The session has ended: its settings can no longer change.',
  'sp.degraded':
    'the other server instances are unreachable, so the graph counts only the listeners connected to this one.',
  'sp.degradedShort': 'Partial graph',
  'sp.present': 'Presentation view',
  'sp.presentExit': 'Leave presentation view',
  'sp.presentHint': 'Esc or F11 to leave',
  'sp.presentJoin': 'Join at {host}',
  'sp.lines': 'Each thin line is one listener — point at a line (or tap it) to see who',
  'sp.lineFocused': '{name}: level {level}',
  'sp.lineFocusedNone': '{name}: no signal',
  'sp.band.p25': '25th percentile',
  'sp.band.p75': '75th percentile',
  'sp.band.middle': 'Middle half of the audience (between the 25th and 75th percentile)',
  'sp.band.range': 'Lowest and highest level given',
  'sp.band.why':
    'More than {n} listeners: the graph shows how the audience is spread instead of one line each.',
  'help.f11': 'Presentation view (the graph, the code and the QR code, large)',
  'help.esc': 'Leave the presentation view; close dialogs',
  // the share panel (code, link and QR code)
  'share.title': 'Join this session',
  'share.goTo': 'Go to {host} and enter the code',
  'share.copyLink': 'Copy link',
  'share.copied': 'Copied!',
  'share.qrAlt': 'QR code that opens {url}',
};

export type SpeakerKey = keyof typeof en;

const ja: Record<SpeakerKey, string> = {
  'sp.duration': '所要時間',
  'sp.joined': '聴き手',
  'sp.finalAvg': '最終の平均',
  'sp.meanAvg': '全体の平均',
  'sp.ended': 'このセッションは{time}終了しました。合図・質問・回答・録画はもうできません。',
  'sp.endedAt': '{time}に',
  'sp.endedSettings': 'セッションは終了したため、設定は変更できません。',
  'sp.degraded':
    '他のサーバーインスタンスに接続できないため、このインスタンスにつながっている聴き手だけを数えています。',
  'sp.degradedShort': '一部のみの集計',
  'sp.present': 'プレゼンテーション表示',
  'sp.presentExit': 'プレゼンテーション表示を終了',
  'sp.presentHint': 'Esc または F11 で戻る',
  'sp.presentJoin': '{host} で参加',
  'sp.lines': '細い線は聴き手ひとりずつです。線にポインタを合わせる（タップする）と名前が出ます',
  'sp.lineFocused': '{name}：レベル {level}',
  'sp.lineFocusedNone': '{name}：合図なし',
  'sp.band.p25': '25パーセンタイル',
  'sp.band.p75': '75パーセンタイル',
  'sp.band.middle': '聴き手の中央の半数（25〜75パーセンタイルの間）',
  'sp.band.range': '最低と最高のレベル',
  'sp.band.why': '聴き手が{n}人を超えたため、ひとりずつの線ではなく分布を表示しています。',
  'help.f11': 'プレゼンテーション表示（グラフ・コード・QRコードを大きく）',
  'help.esc': 'プレゼンテーション表示を終了／ダイアログを閉じる',
  // the share panel (code, link and QR code)
  'share.title': 'このセッションに参加',
  'share.goTo': '{host} でコードを入力',
  'share.copyLink': 'リンクをコピー',
  'share.copied': 'コピーしました',
  'share.qrAlt': '{url} を開くQRコード',
};

const dicts = { en, ja };

/** t() for the speaker screen's own strings, in the app's current language. */
export const useSpeakerT = dictionaryHook(dicts);
export type SpeakerT = ReturnType<typeof useSpeakerT>;

export const SPEAKER_DICTS = dicts;
