import { useCallback } from 'react';
import { translate, useI18n } from '../../app/i18n';

/** The sessions list's own strings (English is the reference; every key exists there). */
const en = {
  'sessions.title': 'My sessions',
  'sessions.empty': 'No sessions yet.',
  'sessions.col.title': 'Title',
  'sessions.col.code': 'Code',
  'sessions.col.status': 'Status',
  'sessions.col.created': 'Created',
  'sessions.col.actions': 'Actions',
  'sessions.deleteConfirm': 'Delete “{title}” and all its data? This cannot be undone.',
};

export type SessionsKey = keyof typeof en;

const ja: Record<SessionsKey, string> = {
  'sessions.title': 'マイセッション',
  'sessions.empty': 'セッションはまだありません。',
  'sessions.col.title': 'タイトル',
  'sessions.col.code': 'コード',
  'sessions.col.status': '状態',
  'sessions.col.created': '作成日時',
  'sessions.col.actions': '操作',
  'sessions.deleteConfirm': '「{title}」とそのデータをすべて削除しますか？元に戻せません。',
};

const dicts = { en, ja };

export type SessionsT = (key: SessionsKey, vars?: Record<string, string | number>) => string;

/** t() for this feature, in the app's current language. */
export function useSessionsT(): SessionsT {
  const { lang } = useI18n();
  return useCallback((key, vars) => translate(lang, key, vars, dicts), [lang]);
}

export const SESSIONS_DICTS = dicts;
