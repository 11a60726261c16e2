import { dictionaryHook } from '../../app/i18n';

/** The log-in and sign-up pages' own strings and the new-password rules (English is the reference). */
const en = {
  'auth.login.title': 'Log in',
  'auth.register.title': 'Create a speaker account',
  'auth.email': 'E-mail',
  'auth.password': 'Password',
  'auth.passwordHint':
    'At least {min} characters, mixing two kinds: lower case, upper case, digits, symbols.',
  'auth.passwordShort': 'The password needs at least {min} characters.',
  'auth.passwordKinds': 'Mix at least two kinds of characters (lower case, upper case, digits, symbols).',
  'auth.passwordIsEmail': 'The password must not be your e-mail address.',
  'auth.username': 'Your name (shown to listeners)',
  'auth.login.submit': 'Log in',
  'auth.register.submit': 'Create account',
  'auth.noAccount': 'No account yet?',
  'auth.haveAccount': 'Already have an account?',
  'auth.needLogin': 'Log in to create and host sessions.',
};

export type AuthKey = keyof typeof en;

const ja: Record<AuthKey, string> = {
  'auth.login.title': 'ログイン',
  'auth.register.title': '話し手アカウントの作成',
  'auth.email': 'メールアドレス',
  'auth.password': 'パスワード',
  'auth.passwordHint': '{min}文字以上で、英小文字・英大文字・数字・記号のうち2種類以上を含めてください。',
  'auth.passwordShort': 'パスワードは{min}文字以上にしてください。',
  'auth.passwordKinds': '英小文字・英大文字・数字・記号のうち2種類以上を含めてください。',
  'auth.passwordIsEmail': 'メールアドレスと同じパスワードは使えません。',
  'auth.username': 'お名前（聴き手に表示されます）',
  'auth.login.submit': 'ログイン',
  'auth.register.submit': 'アカウントを作成',
  'auth.noAccount': 'アカウントをお持ちでない方',
  'auth.haveAccount': 'アカウントをお持ちの方',
  'auth.needLogin': 'セッションの作成・進行にはログインが必要です。',
};

const dicts = { en, ja };

/** t() for this feature, in the app's current language. */
export const useAuthT = dictionaryHook(dicts);
export type AuthT = ReturnType<typeof useAuthT>;

export const AUTH_DICTS = dicts;
