import { useCallback } from 'react';
import { useI18n } from '../../app/i18n';

/** The listener page's own strings (both languages; English is the reference). */
const dicts = {
  en: {
    'listener.offlineCopy':
      'No connection: this is the session as your phone last saw it. Your level is sent as soon as the connection returns.',
  },
  ja: {
    'listener.offlineCopy':
      '接続がありません。最後に受け取ったセッションの状態を表示しています。理解度は接続が戻りしだい送信されます。',
  },
} as const;

export type ListenerKey = keyof (typeof dicts)['en'];

export function useListenerT(): (key: ListenerKey) => string {
  const { lang } = useI18n();
  return useCallback((key: ListenerKey) => dicts[lang][key] ?? dicts.en[key], [lang]);
}
