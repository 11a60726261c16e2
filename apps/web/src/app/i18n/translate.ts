import { en, type MessageKey } from './en';
import { ja } from './ja';

export const LANGS = ['en', 'ja'] as const;
export type Lang = (typeof LANGS)[number];
export type { MessageKey };
export type TranslateVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

export type Dictionaries = Record<Lang, Partial<Record<string, string>>>;
const dictionaries: Dictionaries = { en, ja };

export const LANG_STORAGE_KEY = 'rstream.lang';

/** Looks the key up in `lang`, then in English, then shows the key itself; fills `{name}` slots. */
export function translate(
  lang: Lang,
  key: string,
  vars?: TranslateVars,
  dicts: Dictionaries = dictionaries,
): string {
  const template = dicts[lang][key] ?? dicts.en[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => (name in vars ? String(vars[name]) : slot));
}

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'ja';
}

/** The stored choice wins; otherwise the first of navigator.languages that we speak. */
export function detectLanguage(stored: string | null, languages: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}
