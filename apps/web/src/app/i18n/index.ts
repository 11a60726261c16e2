export { I18nProvider, useI18n } from './I18nProvider';
export { dictionaryHook } from './dictionary-hook';
export { translate, detectLanguage, LANGS, type Lang, type MessageKey, type Translate } from './translate';
