import { dictionaryHook } from '../../app/i18n';

/** The account page's own strings (English is the reference; every key exists there). */
const en = {
  'account.title': 'My account',
  'account.role.admin': 'Administrator',
  'account.role.speaker': 'Speaker',
  'account.password.title': 'Change password',
  'account.password.current': 'Current password',
  'account.password.new': 'New password',
  'account.password.same': 'The new password must differ from the current one.',
  'account.password.submit': 'Change password',
  'account.password.done': 'Password changed. You were signed out everywhere else.',
  'account.delete.title': 'Delete my account',
  'account.delete.body':
    'Deletes your account and all your sessions with everything in them (graphs, questions, recordings). This cannot be undone.',
  'account.delete.password': 'Your password',
  'account.delete.confirm': 'I understand that everything is deleted for good.',
  'account.delete.submit': 'Delete my account',
};

export type AccountKey = keyof typeof en;

const ja: Record<AccountKey, string> = {
  'account.title': 'マイアカウント',
  'account.role.admin': '管理者',
  'account.role.speaker': 'スピーカー',
  'account.password.title': 'パスワードの変更',
  'account.password.current': '現在のパスワード',
  'account.password.new': '新しいパスワード',
  'account.password.same': '新しいパスワードは現在のものと変えてください。',
  'account.password.submit': 'パスワードを変更',
  'account.password.done': 'パスワードを変更しました。ほかの端末ではログアウトされました。',
  'account.delete.title': 'アカウントを削除',
  'account.delete.body':
    'アカウントと、すべてのセッション（グラフ・質問・録画を含む）を削除します。元に戻せません。',
  'account.delete.password': 'パスワード',
  'account.delete.confirm': 'すべてが完全に削除されることを理解しました。',
  'account.delete.submit': 'アカウントを削除',
};

const dicts = { en, ja };

/** t() for this feature, in the app's current language. */
export const useAccountT = dictionaryHook(dicts);
export type AccountT = ReturnType<typeof useAccountT>;

export const ACCOUNT_DICTS = dicts;
