import type { SessionStatus } from '@rstream/protocol';
import { useI18n } from '../app/i18n';

const STYLES: Record<SessionStatus, string> = {
  scheduled: 'bg-slate-200 text-slate-900',
  live: 'bg-emerald-700 text-white',
  ended: 'bg-slate-700 text-white',
};

export function StatusBadge({ status, testId }: { status: SessionStatus; testId?: string }) {
  const { t } = useI18n();
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full px-3 py-0.5 text-sm font-semibold ${STYLES[status]}`}
    >
      {status === 'live' && <span aria-hidden className="h-2 w-2 animate-pulse rounded-full bg-white" />}
      {t(`status.${status}`)}
    </span>
  );
}
