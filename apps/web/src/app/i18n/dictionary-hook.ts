import { useCallback } from 'react';
import { useI18n } from './I18nProvider';
import { translate, type Dictionaries, type TranslateVars } from './translate';

/**
 * A feature's t(): its own dictionaries (English the reference, Japanese with the same keys), in
 * the app's current language. `export const useXxxT = dictionaryHook({ en, ja })`.
 */
export function dictionaryHook<E extends Record<string, string>>(dicts: {
  en: E;
  ja: Record<keyof E, string>;
}) {
  return function useDictionary(): (key: keyof E & string, vars?: TranslateVars) => string {
    const { lang } = useI18n();
    return useCallback(
      (key: keyof E & string, vars?: TranslateVars) => translate(lang, key, vars, dicts as Dictionaries),
      [lang],
    );
  };
}
