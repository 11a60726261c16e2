import { dictionaryHook } from '../../app/i18n';

/** The playback page's own strings (English is the reference; every key exists there). */
const en = {
  'pb.back': '← Archive',
  'pb.loading': 'Loading the session…',
  'pb.notFound': 'This session does not exist, is not yours, or has been deleted.',
  'pb.notEnded': 'This session has not ended yet: its replay opens once it is over.',
  'pb.openLive': 'Open the live screen',
  'pb.noRecording': 'This session was not recorded: the graph and the questions replay on their own.',
  'pb.recordingProcessing': 'The recording is still being processed; reload in a moment.',
  'pb.recordingFailed': 'A recording of this session could not be finished.',
  'pb.parts': 'Part {n} of {total}',
  'pb.gap': 'Not recorded here — the next part starts at {time}',
  'pb.play': 'Play',
  'pb.pause': 'Pause',
  'pb.graphTitle': 'Understanding during the session',
  'pb.graphLabel': 'Understanding graph — click or drag to move the playback',
  'pb.graphHint': 'Click or drag on the graph to jump there. ←/→ move 5 s when the graph has focus.',
  'pb.moments': 'Key moments',
  'pb.momentsNone': 'No key moments yet (the report is not ready).',
  'pb.moment.drop': 'Drop',
  'pb.moment.low': 'Long low',
  'pb.moment.recovery': 'Recovery',
  'pb.moment.peak': 'Peak',
  'pb.momentAvg': '{from} → {to}',
  'pb.questions': 'Questions',
  'pb.questionsNone': 'No questions were asked.',
  'pb.questionAt': 'Asked at {time}',
  'pb.votes': '{n} votes',
  'pb.answered': 'Answered',
  'pb.copyLink': 'Copy link to {time}',
  'pb.copied': 'Link copied',
  'pb.keys': 'Space play/pause · J/K previous/next key moment · ←/→ 5 s',
  'pb.of': '{time} of {total}',
};

export type PlaybackKey = keyof typeof en;

const ja: Record<PlaybackKey, string> = {
  'pb.back': '← アーカイブ',
  'pb.loading': 'セッションを読み込んでいます…',
  'pb.notFound': 'このセッションは存在しないか、あなたのものではないか、削除されました。',
  'pb.notEnded': 'このセッションはまだ終了していません。終了後に再生できます。',
  'pb.openLive': 'ライブ画面を開く',
  'pb.noRecording': 'このセッションは録画されていません。グラフと質問だけを再生します。',
  'pb.recordingProcessing': '録画はまだ処理中です。しばらくしてから再読み込みしてください。',
  'pb.recordingFailed': 'このセッションの録画の一部を仕上げられませんでした。',
  'pb.parts': 'パート {n} / {total}',
  'pb.gap': 'ここは録画されていません — 次のパートは {time} から',
  'pb.play': '再生',
  'pb.pause': '一時停止',
  'pb.graphTitle': 'セッション中の理解度',
  'pb.graphLabel': '理解度グラフ — クリックまたはドラッグで再生位置を移動',
  'pb.graphHint':
    'グラフをクリック・ドラッグするとその時点へ移動します。グラフにフォーカスがあるとき ←/→ で 5 秒移動。',
  'pb.moments': '重要な場面',
  'pb.momentsNone': '重要な場面はまだありません（レポート作成前です）。',
  'pb.moment.drop': '低下',
  'pb.moment.low': '低迷',
  'pb.moment.recovery': '回復',
  'pb.moment.peak': 'ピーク',
  'pb.momentAvg': '{from} → {to}',
  'pb.questions': '質問',
  'pb.questionsNone': '質問はありませんでした。',
  'pb.questionAt': '{time} に質問',
  'pb.votes': '{n} 票',
  'pb.answered': '回答済み',
  'pb.copyLink': '{time} へのリンクをコピー',
  'pb.copied': 'リンクをコピーしました',
  'pb.keys': 'Space 再生/一時停止 · J/K 前/次の重要な場面 · ←/→ 5 秒',
  'pb.of': '{time} / {total}',
};

const dicts = { en, ja };

/** t() for this feature, in the app's current language. */
export const usePlaybackT = dictionaryHook(dicts);
export type PbT = ReturnType<typeof usePlaybackT>;

export const PLAYBACK_DICTS = dicts;
