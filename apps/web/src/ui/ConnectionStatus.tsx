import { useI18n } from '../app/i18n';
import type { RealtimeSnapshot } from '../realtime/types';

const DOT: Record<RealtimeSnapshot['state'], string> = {
  connecting: 'bg-amber-500',
  open: 'bg-emerald-600',
  reconnecting: 'bg-amber-500 animate-pulse',
  offline: 'bg-red-600',
  closed: 'bg-slate-500',
};

/** Connection state for the footer; announced politely when it changes. */
export function ConnectionStatus({ snapshot }: { snapshot: RealtimeSnapshot }) {
  const { t } = useI18n();
  const { state, latencyMs } = snapshot;
  return (
    <span
      data-testid="connection-status"
      data-state={state}
      role="status"
      className="inline-flex items-center gap-2 text-sm"
    >
      <span aria-hidden className={`h-2.5 w-2.5 rounded-full ${DOT[state]}`} />
      <span className="font-medium">{t(`conn.${state}`)}</span>
      {state === 'open' && latencyMs !== null && (
        <span className="tabular-nums text-muted">· {t('conn.latency', { ms: latencyMs })}</span>
      )}
    </span>
  );
}
