import { dictionaryHook } from '../../app/i18n';

/** The recording feature's own strings (English is the reference; every key exists there). */
const en = {
  'rec.start': 'Record',
  'rec.stop': 'Stop',
  'rec.pause': 'Pause',
  'rec.resume': 'Resume',
  'rec.requesting': 'Choose a screen…',
  'rec.starting': 'Starting…',
  'rec.recording': 'Recording',
  'rec.paused': 'Paused',
  'rec.finishing': 'Saving the rest…',
  'rec.saved': 'Saved up to {time}',
  'rec.savedNothing': 'Nothing saved yet',
  'rec.savedAll': 'All {time} saved on the server',
  'rec.offline': 'Offline — the recording continues and is kept in this browser',
  'rec.retrying': 'Connection lost — retrying…',
  'rec.notLive': 'Start the session to record',
  'rec.suggest': 'This session is set to be recorded.',
  'rec.processing': 'The server is finishing the recording…',
  'rec.ready': 'Recording ready',
  'rec.failed': 'The server could not finish the recording',
  'rec.recovered':
    'A recording of this session was interrupted (the tab was closed or reloaded); its {time} are being uploaded.',
  'rec.parts': '{n} parts recorded',
  'rec.timeLabel': 'Recording time',
  'rec.keyHint': 'R starts and stops the recording',
  'rec.noMic': 'No microphone: recording the screen without your voice.',
  'rec.format': 'Format: {format}',
  'rec.err.permission': 'Screen or microphone access was denied. Allow it in the browser and press R again.',
  'rec.err.noScreen': 'No screen was chosen; nothing is recorded.',
  'rec.err.unsupported': 'This browser cannot record (MediaRecorder or screen capture is missing).',
  'rec.err.disk':
    'The browser ran out of storage space: the recording stopped. Everything recorded so far is kept and uploaded.',
  'rec.err.refused': 'The server refused the recording: {reason}',
  'rec.err.network': 'The server could not be reached: {reason}',
  'rec.err.lost': 'The recording could not be uploaded and was discarded: {reason}',
  'rec.err.dismiss': 'Dismiss',
  'rec.announce.started': 'Recording started',
  'rec.announce.stopped': 'Recording stopped',
  'rec.announce.paused': 'Recording paused',
  'rec.announce.resumed': 'Recording resumed',
};

export type RecordingKey = keyof typeof en;

const ja: Record<RecordingKey, string> = {
  'rec.start': '録画',
  'rec.stop': '停止',
  'rec.pause': '一時停止',
  'rec.resume': '再開',
  'rec.requesting': '画面を選択してください…',
  'rec.starting': '開始しています…',
  'rec.recording': '録画中',
  'rec.paused': '一時停止中',
  'rec.finishing': '残りを保存しています…',
  'rec.saved': '{time} までサーバーに保存済み',
  'rec.savedNothing': 'まだ保存されていません',
  'rec.savedAll': '{time} すべてサーバーに保存済み',
  'rec.offline': 'オフライン — 録画は続いており、このブラウザーに保存されています',
  'rec.retrying': '接続が切れました — 再試行しています…',
  'rec.notLive': '録画するにはセッションを開始してください',
  'rec.suggest': 'このセッションは録画する設定です。',
  'rec.processing': 'サーバーが録画を仕上げています…',
  'rec.ready': '録画の準備ができました',
  'rec.failed': 'サーバーで録画を仕上げられませんでした',
  'rec.recovered':
    'このセッションの録画が中断されました（タブが閉じられたか再読み込みされました）。録画済みの {time} をアップロードしています。',
  'rec.parts': '{n} 本の録画',
  'rec.timeLabel': '録画時間',
  'rec.keyHint': 'R キーで録画の開始・停止',
  'rec.noMic': 'マイクがありません。音声なしで画面を録画します。',
  'rec.format': '形式: {format}',
  'rec.err.permission':
    '画面またはマイクへのアクセスが拒否されました。ブラウザーで許可してから、もう一度 R を押してください。',
  'rec.err.noScreen': '画面が選択されなかったため、録画していません。',
  'rec.err.unsupported': 'このブラウザーでは録画できません（MediaRecorder または画面共有がありません）。',
  'rec.err.disk':
    'ブラウザーの保存容量が足りなくなったため、録画を停止しました。それまでの録画は保存され、アップロードされます。',
  'rec.err.refused': 'サーバーが録画を受け付けませんでした: {reason}',
  'rec.err.network': 'サーバーに接続できません: {reason}',
  'rec.err.lost': '録画をアップロードできず、破棄しました: {reason}',
  'rec.err.dismiss': '閉じる',
  'rec.announce.started': '録画を開始しました',
  'rec.announce.stopped': '録画を停止しました',
  'rec.announce.paused': '録画を一時停止しました',
  'rec.announce.resumed': '録画を再開しました',
};

const dicts = { en, ja };

/** t() for this feature, in the app's current language. */
export const useRecordingT = dictionaryHook(dicts);
export type RecT = ReturnType<typeof useRecordingT>;

export const RECORDING_DICTS = dicts;
