import { useI18n } from '../app/i18n';
import { useRealtimeT } from '../realtime/strings';
import type { RealtimeSnapshot } from '../realtime/types';

const DOT: Record<RealtimeSnapshot['state'], string> = {
  connecting: 'bg-amber-500',
  open: 'bg-emerald-600',
  reconnecting: 'bg-amber-500 animate-pulse',
  offline: 'bg-red-600',
  closed: 'bg-slate-500',
};

/** The server speaks another protocol version: said once, with a way out. */
export function ProtocolMismatchBanner({ snapshot }: { snapshot: RealtimeSnapshot }) {
  const rt = useRealtimeT();
  if (snapshot.protocolMismatch === null) return null;
  return (
    <div
      role="alert"
      data-testid="protocol-mismatch"
      className="flex flex-wrap items-center gap-3 rounded-xl border border-amber-400 bg-amber-50 px-4 py-3 text-amber-950"
    >
      <span className="flex-1">{rt('rt.mismatch')}</span>
      <button
        type="button"
        className="rounded-md bg-amber-900 px-3 py-1.5 text-sm font-semibold text-white"
        onClick={() => window.location.reload()}
      >
        {rt('rt.reload')}
      </button>
    </div>
  );
}

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
