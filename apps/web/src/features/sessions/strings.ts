import { dictionaryHook } from '../../app/i18n';

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

/** t() for this feature, in the app's current language. */
export const useSessionsT = dictionaryHook(dicts);
export type SessionsT = ReturnType<typeof useSessionsT>;

export const SESSIONS_DICTS = dicts;
