import { dictionaryHook } from '../../app/i18n';

/** The home page's own strings (English is the reference; every key exists there). */
const en = {
  'app.tagline': 'See live how well your audience understands.',
  'home.title': 'How well is your audience following — right now?',
  'home.create.title': 'Create a session',
  'home.create.body': 'Present, and watch the audience’s understanding live.',
  'home.create.cta': 'Create a session',
  'home.create.loginFirst': 'You will log in first.',
  'home.join.title': 'Join with a code',
  'home.join.body': 'Enter the 6-character code the speaker shows.',
  'home.join.label': 'Session code',
  'home.join.cta': 'Join',
  'home.join.invalid': 'A code has 6 characters: letters and digits without look-alikes.',
};

export type HomeKey = keyof typeof en;

const ja: Record<HomeKey, string> = {
  'app.tagline': '聴き手の理解度を、話しながらリアルタイムに。',
  'home.title': '聴き手はいま、どれくらい理解している？',
  'home.create.title': 'セッションを作成',
  'home.create.body': '話しながら、聴き手の理解度をリアルタイムに確認できます。',
  'home.create.cta': 'セッションを作成',
  'home.create.loginFirst': '先にログインします。',
  'home.join.title': 'コードで参加',
  'home.join.body': '話し手が表示している6文字のコードを入力してください。',
  'home.join.label': 'セッションコード',
  'home.join.cta': '参加',
  'home.join.invalid': 'コードは6文字です（紛らわしい文字を除く英字と数字）。',
};

const dicts = { en, ja };

/** t() for this feature, in the app's current language. */
export const useHomeT = dictionaryHook(dicts);
export type HomeT = ReturnType<typeof useHomeT>;

export const HOME_DICTS = dicts;
