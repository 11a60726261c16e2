import { useCallback, useEffect, useState } from 'react';
import type { AuditFinding, AuditOverview } from '@rstream/protocol';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatDateTime } from '../../ui/format';
import { AcceptRiskForm } from './AcceptRiskForm';
import { findingTexts, reportTexts } from './audit-texts';
import { securityAuditApi } from './security-audit-api';
import { useSecurityAuditT, type SAT } from './security-audit-strings';

const SEV_CLASS: Record<AuditFinding['severity'], string> = {
  critical: 'bg-red-100 text-red-900 border-red-300',
  warning: 'bg-amber-100 text-amber-900 border-amber-300',
  info: 'bg-slate-100 text-slate-800 border-slate-300',
};

function Severity({ f, t }: { f: AuditFinding; t: SAT }) {
  return (
    <span className={`inline-block rounded border px-2 py-0.5 text-xs font-bold ${SEV_CLASS[f.severity]}`}>
      {t(`sa.sev.${f.severity}`)} · {t('sa.level', { n: f.incidentLevel })}
    </span>
  );
}

/** Admin → Security audit: the latest report, the trend since the previous one, risk acceptance. */
export function SecurityAuditPanel() {
  const t = useSecurityAuditT();
  const { lang, t: tApp } = useI18n();
  const [data, setData] = useState<(AuditOverview & { running: boolean }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [accepting, setAccepting] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setData(await securityAuditApi.overview());
      setError(null);
    } catch (e) {
      setError(errorMessage(e, tApp));
    }
  }, [tApp]);
  useEffect(() => {
    void load();
  }, [load]);
  // while a run is going, look again every 3 s
  useEffect(() => {
    if (!data?.running) return;
    const id = setInterval(() => void load(), 3000);
    return () => clearInterval(id);
  }, [data?.running, load]);

  const run = async () => {
    try {
      await securityAuditApi.run();
      await load();
    } catch (e) {
      setError(errorMessage(e, tApp));
    }
  };
  const r = data?.latest ?? null;
  // the server's words in the admin's language (English for reports stored before it spoke Japanese)
  const said = r && reportTexts(r, lang);
  const dt = (iso: string) => formatDateTime(iso, lang);
  return (
    <section aria-labelledby="sa-title" className="space-y-5" data-testid="security-audit">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="sa-title" className="text-xl font-bold">
          {t('sa.latest')}
        </h2>
        <Button onClick={() => void run()} disabled={data?.running} data-testid="sa-run">
          {data?.running ? t('sa.running') : t('sa.run')}
        </Button>
      </div>
      {error && <Alert>{error}</Alert>}
      {data?.running && <p className="text-muted">{t('sa.runStarted')}</p>}
      {data && !r && <p className="text-muted">{t('sa.none')}</p>}
      {r && (
        <>
          <div className="rounded-lg border border-line bg-white p-4">
            <p className="text-lg font-bold" data-testid="sa-result">
              {t(`sa.result.${r.exitCode}`)}
            </p>
            <p className="text-sm text-muted">
              {t('sa.finished', {
                at: dt(r.finishedAt),
                instance: r.instance,
                from: r.period.from.slice(0, 10),
                to: r.period.to.slice(0, 10),
              })}
            </p>
            <dl className="mt-3 grid grid-cols-4 gap-2 text-center">
              {(['critical', 'warning', 'info', 'accepted'] as const).map((k) => (
                <div key={k} className="rounded bg-slate-50 p-2">
                  <dt className="text-xs text-muted">{t(`sa.count.${k}`)}</dt>
                  <dd className="text-2xl font-bold" data-testid={`sa-count-${k}`}>
                    {r.counts[k]}
                  </dd>
                </div>
              ))}
            </dl>
            <p className="mt-3 text-sm" data-testid="sa-trend">
              {data!.trend.previous ? (
                <>
                  {t('sa.trend', { at: dt(data!.trend.previous.finishedAt) })}:{' '}
                  {data!.trend.added.length + data!.trend.resolved.length === 0
                    ? t('sa.trend.same')
                    : `${t('sa.trend.added', { n: data!.trend.added.length })} · ${t('sa.trend.resolved', { n: data!.trend.resolved.length })}`}
                  {data!.trend.resolved.length > 0 && (
                    <span className="text-muted"> ({data!.trend.resolved.join(', ')})</span>
                  )}
                </>
              ) : (
                t('sa.trend.none')
              )}
            </p>
          </div>

          <h3 className="text-lg font-bold">{t('sa.findings')}</h3>
          {r.findings.length === 0 ? (
            <p>{t('sa.noFindings')}</p>
          ) : (
            <ul className="space-y-3">
              {r.findings.map((f) => (
                <li
                  key={f.id}
                  className="rounded-lg border border-line bg-white p-3"
                  data-testid="sa-finding"
                >
                  <div className="flex flex-wrap items-center gap-2">
                    <Severity f={f} t={t} />
                    <span className="font-semibold" data-testid="sa-finding-title">
                      {findingTexts(f, lang).title}
                    </span>
                    <code className="text-xs text-muted">{f.id}</code>
                    {data!.trend.added.includes(f.id) && data!.trend.previous && (
                      <span className="rounded bg-brand px-1.5 text-xs font-bold text-white">
                        {t('sa.trend.added', { n: 1 })}
                      </span>
                    )}
                  </div>
                  <p className="mt-1 text-sm">
                    <span className="font-semibold">{t('sa.col.evidence')}: </span>
                    {findingTexts(f, lang).evidence}
                  </p>
                  <p className="mt-1 text-sm">
                    <span className="font-semibold">{t('sa.col.fix')}: </span>
                    <code className="break-all rounded bg-slate-100 px-1" data-testid="sa-finding-fix">
                      {findingTexts(f, lang).fix}
                    </code>{' '}
                    <a className="text-brand underline" href={f.runbook} target="_blank" rel="noreferrer">
                      {t('sa.runbook')}
                    </a>
                  </p>
                  {accepting === f.id ? (
                    <AcceptRiskForm
                      findingId={f.id}
                      t={t}
                      onDone={() => {
                        setAccepting(null);
                        void load();
                      }}
                    />
                  ) : (
                    <Button variant="secondary" size="sm" className="mt-2" onClick={() => setAccepting(f.id)}>
                      {t('sa.accept')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}

          {data!.acceptances.length > 0 && (
            <>
              <h3 className="text-lg font-bold">{t('sa.accepted')}</h3>
              <ul className="space-y-1 text-sm" data-testid="sa-acceptances">
                {data!.acceptances.map((a) => (
                  <li key={a.id}>
                    <code>{a.findingId}</code> — {a.reason}{' '}
                    <span className={a.expired ? 'font-semibold text-red-800' : 'text-muted'}>
                      {a.expired
                        ? t('sa.expired')
                        : t('sa.acceptedUntil', { at: dt(a.expiresAt), by: a.createdBy ?? '—' })}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}

          <h3 className="text-lg font-bold">{t('sa.plan')}</h3>
          <div className="grid gap-3 md:grid-cols-3">
            {(
              [
                ['sa.plan.now', said!.actionPlan.now],
                ['sa.plan.24h', said!.actionPlan.within24h],
                ['sa.plan.watch', said!.actionPlan.watch],
              ] as const
            ).map(([key, items]) => (
              <div key={key} className="rounded-lg border border-line bg-white p-3">
                <h4 className="font-semibold">{t(key)}</h4>
                <ol className="mt-1 list-decimal break-words pl-5 text-sm">
                  {items.length ? items.map((i) => <li key={i}>{i}</li>) : <li className="list-none">—</li>}
                </ol>
              </div>
            ))}
          </div>
          <h3 className="text-lg font-bold">{t('sa.proposals')}</h3>
          <ul className="list-disc pl-5 text-sm" data-testid="sa-proposals">
            {said!.proposals.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          {data!.history.length > 1 && (
            <>
              <h3 className="text-lg font-bold">{t('sa.history')}</h3>
              <ul className="text-sm">
                {data!.history.map((h) => (
                  <li key={h.id}>
                    {dt(h.finishedAt)} — exit {h.exitCode}: {t('sa.count.critical')} {h.counts.critical},{' '}
                    {t('sa.count.warning')} {h.counts.warning}, {t('sa.count.info')} {h.counts.info}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
