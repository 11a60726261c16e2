import { LANGS, useI18n, type Lang } from '../app/i18n';

const NAMES: Record<Lang, string> = { en: 'English', ja: '日本語' };
const SHORT: Record<Lang, string> = { en: 'EN', ja: '日本語' };

/** Two toggle buttons (short labels fit a phone header). */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <div
      role="group"
      aria-label={t('lang.label')}
      className="inline-flex overflow-hidden rounded-lg border border-current/30"
    >
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={lang === l}
          onClick={() => setLang(l)}
          className={`px-2.5 py-1 text-sm font-semibold ${lang === l ? 'bg-white text-brand' : 'bg-transparent hover:bg-white/15'}`}
        >
          {compact ? SHORT[l] : NAMES[l]}
        </button>
      ))}
    </div>
  );
}
