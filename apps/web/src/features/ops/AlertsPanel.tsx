import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Button } from '../../ui/Button';
import { formatDateTime } from '../../ui/format';
import { opsApi, type OpsAlert, type Severity } from './ops-api';
import { sortAlerts } from './ops-format';
import { useOpsText } from './ops-i18n';

const SEV_STYLE: Record<Severity, string> = {
  critical: 'bg-red-700 text-white',
  warning: 'bg-amber-400 text-black',
  info: 'bg-sky-100 text-sky-950 border border-sky-300',
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useOpsText();
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-bold ${SEV_STYLE[severity]}`}>
      {t(`sev.${severity}`)}
    </span>
  );
}

/** Firing alerts with acknowledge/silence, then the recent history. */
export function AlertsPanel({
  firing,
  recent,
  onChanged,
}: {
  firing: OpsAlert[];
  recent: OpsAlert[];
  onChanged: () => void;
}) {
  const { t, lang } = useOpsText();
  const { t: appT } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(errorMessage(err, appT));
    }
  };
  const resolvedRecent = recent.filter((a) => a.status === 'resolved').slice(0, 20);
  return (
    <section aria-labelledby="ops-alerts" className="rounded-2xl border border-line bg-white p-4 shadow-sm">
      <h2 id="ops-alerts" className="mb-3 text-xl font-bold">
        {t('alerts')}
      </h2>
      {error && (
        <p role="alert" className="mb-2 text-danger">
          {error}
        </p>
      )}
      <h3 className="mb-2 font-semibold">
        {t('firing')} ({firing.length})
      </h3>
      {firing.length === 0 ? (
        <p className="mb-4 text-muted">{t('noFiring')}</p>
      ) : (
        <ul className="mb-4 space-y-2" aria-live="polite" data-testid="ops-firing">
          {sortAlerts(firing).map((a) => (
            <li key={a.fingerprint} className="rounded-lg border border-line p-3">
              <div className="flex flex-wrap items-center gap-2">
                <SeverityBadge severity={a.severity} />
                <span className="text-sm font-semibold">
                  {t('level')} {a.level}
                </span>
                <strong>{a.name}</strong>
                <span className="text-sm text-muted">
                  {t('since')} {formatDateTime(a.startedAt, lang)}
                </span>
              </div>
              <p className="mt-1">{a.summary}</p>
              <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
                <a className="text-accent underline" href={a.runbookUrl} target="_blank" rel="noreferrer">
                  {t('runbook')}: {a.runbook}
                </a>
                {a.ackedAt ? (
                  <span className="rounded bg-emerald-100 px-2 py-0.5">{t('acked')}</span>
                ) : (
                  <Button size="sm" variant="secondary" onClick={() => act(() => opsApi.ack(a.fingerprint))}>
                    {t('ack')}
                  </Button>
                )}
                {a.silencedUntil ? (
                  <span className="rounded bg-slate-100 px-2 py-0.5">
                    {t('silencedUntil', { time: formatDateTime(a.silencedUntil, lang) })}
                  </span>
                ) : (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => act(() => opsApi.silence(a.fingerprint, 60))}
                  >
                    {t('silence')}
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <h3 className="mb-2 font-semibold">{t('recent')}</h3>
      <ul className="space-y-1 text-sm">
        {resolvedRecent.map((a) => (
          <li key={`${a.fingerprint}-${a.startedAt}`} className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={a.severity} />
            <span>L{a.level}</span>
            <strong>{a.name}</strong>
            <span className="text-muted">{a.summary}</span>
            <span className="text-muted">
              {a.resolvedAt ? t('resolved', { time: formatDateTime(a.resolvedAt, lang) }) : ''}
            </span>
            <a className="text-accent underline" href={a.runbookUrl} target="_blank" rel="noreferrer">
              {t('runbook')}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
