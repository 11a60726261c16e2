import { useCallback } from 'react';
import { useI18n } from '../../app/i18n';

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
  },
} as const;

export type ListenerKey = keyof (typeof dicts)['en'];

export function useListenerT(): (key: ListenerKey) => string {
  const { lang } = useI18n();
  return useCallback((key: ListenerKey) => dicts[lang][key] ?? dicts.en[key], [lang]);
}
