import { formatDateTime } from '../../ui/format';
import type { OpsInstance, SlowQueries } from './ops-api';
import { formatBytes, formatPercent, formatRate, formatSeconds } from './ops-format';
import { useOpsText } from './ops-i18n';

const th = 'px-3 py-2 font-semibold';
const td = 'px-3 py-2 align-top';

export function SlowQueriesPanel({ data }: { data: SlowQueries | null }) {
  const { t, lang } = useOpsText();
  if (!data) return null;
  return (
    <section aria-labelledby="ops-slow" className="rounded-2xl border border-line bg-white p-4 shadow-sm">
      <h2 id="ops-slow" className="mb-3 text-xl font-bold">
        {t('slowQueries')}
      </h2>
      {data.available ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="ops-slow-table">
            <thead className="border-b border-line text-muted">
              <tr>
                <th className={th}>SQL</th>
                <th className={th}>{t('calls')}</th>
                <th className={th}>{t('meanMs')}</th>
                <th className={th}>{t('maxMs')}</th>
              </tr>
            </thead>
            <tbody>
              {data.queries.map((q, i) => (
                <tr key={i} className="border-b border-line/60">
                  <td className={`${td} max-w-xl truncate font-mono`} title={q.query}>
                    {q.query}
                  </td>
                  <td className={td}>{q.calls}</td>
                  <td className={td}>{q.meanMs.toFixed(1)} ms</td>
                  <td className={td}>{q.maxMs.toFixed(1)} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="mb-2 text-muted">{t('slowUnavailable', { reason: data.reason ?? '' })}</p>
      )}
      <h3 className="mb-1 mt-3 font-semibold">{t('slowRecent')}</h3>
      {data.recent.length === 0 ? (
        <p className="text-muted">{t('noSlow')}</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {data.recent.slice(0, 15).map((q, i) => (
            <li key={i} className="flex gap-3">
              <span className="tabular-nums">{Math.round(q.ms)} ms</span>
              <span className="text-muted">{formatDateTime(new Date(q.at).toISOString(), lang)}</span>
              <code className="truncate" title={q.sql}>
                {q.sql}
              </code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function InstancesPanel({ instances }: { instances: OpsInstance[] }) {
  const { t } = useOpsText();
  return (
    <section
      aria-labelledby="ops-instances"
      className="rounded-2xl border border-line bg-white p-4 shadow-sm"
    >
      <h2 id="ops-instances" className="mb-3 text-xl font-bold">
        {t('instances')} ({instances.length})
      </h2>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="ops-instances">
          <thead className="border-b border-line text-muted">
            <tr>
              <th className={th}>ID</th>
              <th className={th}>{t('uptime')}</th>
              <th className={th}>{t('cpu')}</th>
              <th className={th}>{t('rss')}</th>
              <th className={th}>{t('ws')}</th>
              <th className={th}>{t('requests')}</th>
              <th className={th}>{t('errorRate')}</th>
              <th className={th}>{t('database')}</th>
            </tr>
          </thead>
          <tbody>
            {instances.map((i) => (
              <tr key={i.id} className="border-b border-line/60">
                <td className={td}>
                  <span className="font-mono">{i.id}</span>{' '}
                  <span className="text-muted">
                    v{i.version} · {i.db} · {i.bus}
                  </span>
                  {i.leader && (
                    <span className="ml-2 rounded bg-brand px-2 py-0.5 text-xs text-white">
                      {t('leader')}
                    </span>
                  )}
                </td>
                <td className={td}>{formatSeconds(i.uptimeSec)}</td>
                <td className={td}>{formatPercent(i.cpuRatio)}</td>
                <td className={td}>{formatBytes(i.rssBytes)}</td>
                <td className={td}>{i.wsConnections ?? '—'}</td>
                <td className={td}>{formatRate(i.requestsPerSec)}</td>
                <td className={td}>{formatPercent(i.errorRatio)}</td>
                <td className={td}>{i.dbUp === null ? '—' : i.dbUp ? t('dbUpYes') : t('dbUpNo')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
