import { dictionaryHook } from '../../app/i18n';

/** The admin page's own strings: its tabs, the users table, the security trail (English is the reference). */
const en = {
  'admin.title': 'Administration',
  'admin.notAdmin': 'Only administrators can see this page.',
  'admin.tab.users': 'Users',
  'admin.tab.audit': 'Security trail',
  'admin.users.name': 'Name',
  'admin.users.role': 'Role',
  'admin.users.sessions': 'Sessions',
  'admin.users.state': 'State',
  'admin.users.you': 'you',
  'admin.users.roleOf': 'Role of {name}',
  'admin.users.disabled': 'Disabled',
  'admin.users.active': 'Active',
  'admin.users.enable': 'Enable',
  'admin.users.disable': 'Disable',
  'admin.audit.type': 'Event',
  'admin.audit.any': 'Any',
  'admin.audit.outcome': 'Outcome',
  'admin.audit.actor': 'Who',
  'admin.audit.from': 'From',
  'admin.audit.to': 'To',
  'admin.audit.apply': 'Filter',
  'admin.audit.clear': 'Clear',
  'admin.audit.at': 'When',
  'admin.audit.target': 'Target',
  'admin.audit.details': 'Details',
  'admin.audit.empty': 'No events match.',
  'admin.audit.more': 'Load more',
  'admin.audit.outcome.success': 'success',
  'admin.audit.outcome.failure': 'failure',
  'admin.audit.outcome.denied': 'denied',
};

export type AdminKey = keyof typeof en;

const ja: Record<AdminKey, string> = {
  'admin.title': '管理',
  'admin.notAdmin': 'このページは管理者だけが見られます。',
  'admin.tab.users': 'ユーザー',
  'admin.tab.audit': 'セキュリティ記録',
  'admin.users.name': '名前',
  'admin.users.role': '役割',
  'admin.users.sessions': 'セッション数',
  'admin.users.state': '状態',
  'admin.users.you': 'あなた',
  'admin.users.roleOf': '{name} の役割',
  'admin.users.disabled': '無効',
  'admin.users.active': '有効',
  'admin.users.enable': '有効にする',
  'admin.users.disable': '無効にする',
  'admin.audit.type': 'イベント',
  'admin.audit.any': 'すべて',
  'admin.audit.outcome': '結果',
  'admin.audit.actor': '誰が',
  'admin.audit.from': '開始',
  'admin.audit.to': '終了',
  'admin.audit.apply': '絞り込む',
  'admin.audit.clear': 'クリア',
  'admin.audit.at': '日時',
  'admin.audit.target': '対象',
  'admin.audit.details': '詳細',
  'admin.audit.empty': '該当するイベントはありません。',
  'admin.audit.more': 'さらに読み込む',
  'admin.audit.outcome.success': '成功',
  'admin.audit.outcome.failure': '失敗',
  'admin.audit.outcome.denied': '拒否',
};

const dicts = { en, ja };

/** t() for this feature, in the app's current language. */
export const useAdminT = dictionaryHook(dicts);
export type AdminT = ReturnType<typeof useAdminT>;

export const ADMIN_DICTS = dicts;
