import { useCallback } from 'react';
import { useI18n } from '../../app/i18n';

/** The join page's own strings (both languages; English is the reference). */
const dicts = {
  en: {
    'join.anonymousName': 'Anonymous',
    'join.nameOptional': 'Optional when you join anonymously.',
    'join.needName': 'Type a name, or tick “join anonymously”.',
    'join.codeLabel': 'Session code',
    'join.codeHint': '6 letters and digits, as shown by the speaker.',
  },
  ja: {
    'join.anonymousName': '匿名',
    'join.nameOptional': '匿名で参加するときは空欄のままでかまいません。',
    'join.needName': '名前を入力するか、「匿名で参加」を選んでください。',
    'join.codeLabel': 'セッションコード',
    'join.codeHint': '話し手が表示している6文字の英数字です。',
  },
} as const;

export type JoinKey = keyof (typeof dicts)['en'];

export function useJoinT(): (key: JoinKey) => string {
  const { lang } = useI18n();
  return useCallback((key: JoinKey) => dicts[lang][key] ?? dicts.en[key], [lang]);
}
