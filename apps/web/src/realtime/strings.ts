import { useCallback } from 'react';
import { useI18n } from '../app/i18n';

/** The realtime client's own strings (both languages). */
const dicts = {
  en: {
    'rt.mismatch': 'This page does not match the server’s version. Reload the page to get the current one.',
    'rt.reload': 'Reload',
  },
  ja: {
    'rt.mismatch': 'このページはサーバーのバージョンと合っていません。ページを再読み込みしてください。',
    'rt.reload': '再読み込み',
  },
} as const;

export type RealtimeKey = keyof (typeof dicts)['en'];

export function useRealtimeT(): (key: RealtimeKey) => string {
  const { lang } = useI18n();
  return useCallback((key: RealtimeKey) => dicts[lang][key] ?? dicts.en[key], [lang]);
}
