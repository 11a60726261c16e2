import { dictionaryHook } from '../../app/i18n';

/** The listener page's own strings (both languages; English is the reference). */
const dicts = {
  en: {
    'listener.offlineCopy':
      'No connection: this is the session as your phone last saw it. Your level is sent as soon as the connection returns.',
    'listener.erase.open': 'Remove me',
    'listener.erase.title': 'Remove yourself from this session?',
    'listener.erase.body':
      'Your name, your understanding signals, your questions and your votes are deleted now, and this screen leaves the session. The audience’s overall graph keeps its anonymous counts. This cannot be undone.',
    'listener.erase.confirm': 'Remove me',
    'listener.erase.cancel': 'Cancel',
    'listener.erase.working': 'Removing…',
    'listener.erased.title': 'You have been removed from this session',
    'listener.erased.body': 'Your name, signals and questions are deleted. You can join again with the code.',
    'listener.settings.open': 'Settings',
    'listener.settings.title': 'Settings',
    'listener.settings.language': 'Language',
    'listener.settings.connection': 'Connection',
    'listener.settings.state': 'Status',
    'listener.settings.server': 'Server',
    'listener.settings.security': 'Security',
    'listener.settings.secure': 'Encrypted (HTTPS)',
    'listener.settings.insecure': 'Not encrypted (HTTP)',
    'listener.settings.latency': 'Round trip',
    'listener.settings.latencyNone': 'not measured yet',
    'listener.settings.pending': 'A level waits to be sent',
    'listener.settings.code': 'Session code',
    'listener.settings.privacy': 'What the speaker sees',
    'listener.settings.seesName': 'Your name ({name}) and your level.',
    'listener.settings.seesAnonymous':
      'Your level only: this session is anonymous, the speaker sees “Listener #n” instead of names.',
    'listener.settings.graph': 'Your graph',
    'listener.settings.graph.none': 'No graph in this session',
    'listener.settings.graph.own': 'Your own line',
    'listener.settings.graph.all': 'The whole audience’s average',
    'listener.settings.signal': 'Signal style',
    'listener.settings.signal.sticky': 'Sticky: your level stays where you leave it',
    'listener.settings.signal.momentary': 'Momentary: letting go returns to 3',
    'listener.settings.about': 'About',
    'listener.settings.version': 'App version',
    'listener.settings.protocol': 'Protocol',
  },
  ja: {
    'listener.offlineCopy':
      '接続がありません。最後に受け取ったセッションの状態を表示しています。理解度は接続が戻りしだい送信されます。',
    'listener.erase.open': '自分の情報を削除',
    'listener.erase.title': 'このセッションから自分の情報を削除しますか？',
    'listener.erase.body':
      'あなたの名前、理解度の送信記録、質問、投票がすぐに削除され、この画面はセッションから退出します。全体のグラフには匿名の集計だけが残ります。元に戻すことはできません。',
    'listener.erase.confirm': '削除する',
    'listener.erase.cancel': 'キャンセル',
    'listener.erase.working': '削除しています…',
    'listener.erased.title': 'このセッションからあなたの情報を削除しました',
    'listener.erased.body': '名前、理解度の記録、質問は削除されました。コードを入力すれば再び参加できます。',
    'listener.settings.open': '設定',
    'listener.settings.title': '設定',
    'listener.settings.language': '言語',
    'listener.settings.connection': '接続',
    'listener.settings.state': '状態',
    'listener.settings.server': 'サーバー',
    'listener.settings.security': '通信の保護',
    'listener.settings.secure': '暗号化あり（HTTPS）',
    'listener.settings.insecure': '暗号化なし（HTTP）',
    'listener.settings.latency': '往復時間',
    'listener.settings.latencyNone': 'まだ測定していません',
    'listener.settings.pending': '送信待ちのレベルがあります',
    'listener.settings.code': 'セッションコード',
    'listener.settings.privacy': '話し手に見えるもの',
    'listener.settings.seesName': 'あなたの名前（{name}）と理解度。',
    'listener.settings.seesAnonymous':
      '理解度だけです。このセッションは匿名で、話し手には名前の代わりに「聴き手 #n」と表示されます。',
    'listener.settings.graph': 'あなたに見えるグラフ',
    'listener.settings.graph.none': 'このセッションではグラフを表示しません',
    'listener.settings.graph.own': '自分の線のみ',
    'listener.settings.graph.all': '聴き手全体の平均',
    'listener.settings.signal': 'シグナルの方式',
    'listener.settings.signal.sticky': '固定式：選んだレベルがそのまま保たれます',
    'listener.settings.signal.momentary': '瞬間式：指を離すと 3 に戻ります',
    'listener.settings.about': 'このアプリについて',
    'listener.settings.version': 'アプリのバージョン',
    'listener.settings.protocol': 'プロトコル',
  },
} as const;

export type ListenerKey = keyof (typeof dicts)['en'];

export const useListenerT = dictionaryHook(dicts);
export type ListenerT = ReturnType<typeof useListenerT>;
