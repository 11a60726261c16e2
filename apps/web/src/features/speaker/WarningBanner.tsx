import { useI18n } from '../../app/i18n';
import { formatAverage } from '../../ui/format';

/** The low-understanding warning, sized to sit in the graph's header row (not above the page). */
export function WarningBanner({ avg }: { avg: number | null }) {
  const { t } = useI18n();
  return (
    <div
      role="alert"
      data-testid="warning-banner"
      className="flex min-w-0 flex-1 items-center gap-2 rounded-xl border-2 border-[#d55e00] bg-orange-50 px-3 py-1.5 text-base font-semibold text-orange-950"
    >
      <span aria-hidden className="text-xl leading-none">
        ⚠
      </span>
      <span className="min-w-0">{t('speaker.warning', { avg: formatAverage(avg) })}</span>
    </div>
  );
}
