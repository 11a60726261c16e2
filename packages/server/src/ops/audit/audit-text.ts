import { ACCESS_FINDINGS } from './audit-text-access.js';
import { CHECK_TITLES, NOTES } from './audit-text-checks.js';
import { DATA_FINDINGS } from './audit-text-data.js';
import { COMMON_FINDINGS, PHRASES, PROPOSALS } from './audit-text-report.js';
import { SYSTEM_FINDINGS } from './audit-text-system.js';

/**
 * The audit's words in English and Japanese (the admin page shows whichever the admin reads).
 * Templates name their parameters `{name}`; parameters carry the technical data (paths, numbers,
 * settings, commands), which stay as they are in both languages. English is what the report's
 * plain fields (`title`, `evidence`, `fix`, `note`, …) hold; Japanese goes to the optional `ja`.
 */
export const LANGS = ['en', 'ja'] as const;
export type Lang = (typeof LANGS)[number];

/** One text in both languages. */
export interface Bilingual {
  readonly en: string;
  readonly ja: string;
}
/** A parameter: the same in both languages, or already rendered per language (a phrase). */
export type Param = string | number | Bilingual;
export type Params = Readonly<Record<string, Param>>;

export interface FindingText {
  readonly title: Bilingual;
  readonly evidence: Bilingual;
  readonly fix: Bilingual;
}

/** `{name}` in a template: letters and digits only, so `{"Rules":…}` in a command is no slot. */
export const SLOT = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

type Slots<S extends string> = S extends `${string}{${infer P}}${infer R}` ? P | Slots<R> : never;
type SlotsOf<T> = T extends string
  ? Slots<T>
  : T extends object
    ? { [K in keyof T]: SlotsOf<T[K]> }[keyof T]
    : never;
/** `params` exactly when the texts have slots, with those names. */
export type ParamsFor<T> = [SlotsOf<T>] extends [never]
  ? { params?: undefined }
  : { params: Record<SlotsOf<T>, Param> };
/** the same as a rest parameter: `[]` without slots, `[params]` with */
export type OptionalParams<T> = [SlotsOf<T>] extends [never] ? [] : [Record<SlotsOf<T>, Param>];

export const FINDINGS = { ...ACCESS_FINDINGS, ...DATA_FINDINGS, ...SYSTEM_FINDINGS, ...COMMON_FINDINGS };
export type FindingKey = keyof typeof FINDINGS;
export type CheckId = keyof typeof CHECK_TITLES;
export type NoteKey = keyof typeof NOTES;
export type PhraseKey = keyof typeof PHRASES;
export { CHECK_TITLES, NOTES, PHRASES, PROPOSALS };

/** Fills the slots of one template; a slot without a value is a programming error. */
export function render(template: string, params: Params | undefined, lang: Lang): string {
  return template.replace(SLOT, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`audit text: no value for {${name}} in "${template}"`);
    return typeof v === 'object' ? v[lang] : String(v);
  });
}

export const renderBoth = (text: Bilingual, params?: Params): Bilingual => ({
  en: render(text.en, params, 'en'),
  ja: render(text.ja, params, 'ja'),
});

/** A catalogued phrase, rendered in both languages: a parameter of another text. */
export function phrase<K extends PhraseKey>(key: K, ...[p]: OptionalParams<(typeof PHRASES)[K]>): Bilingual {
  return renderBoth(PHRASES[key], p);
}

/** Several texts joined, per language. */
export const joinBoth = (items: Bilingual[], sep: Bilingual | string): Bilingual => ({
  en: items.map((i) => i.en).join(typeof sep === 'string' ? sep : sep.en),
  ja: items.map((i) => i.ja).join(typeof sep === 'string' ? sep : sep.ja),
});

/** A finding's three texts in one language. */
export function renderFinding(key: FindingKey, params: Params | undefined, lang: Lang) {
  const t: FindingText = FINDINGS[key];
  return {
    title: render(t.title[lang], params, lang),
    evidence: render(t.evidence[lang], params, lang),
    fix: render(t.fix[lang], params, lang),
  };
}
