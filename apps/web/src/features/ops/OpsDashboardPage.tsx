import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { formatClock } from '../../ui/format';
import { useDocumentTitle } from '../../ui/hooks';
import { AlertsPanel } from './AlertsPanel';
import { opsApi, type OpsAlert, type OpsInstance, type OpsOverview, type SlowQueries } from './ops-api';
import { formatBytes, formatPercent, formatRate, formatSeconds } from './ops-format';
import { useOpsText, type OpsKey } from './ops-i18n';
import { OpsChart } from './OpsChart';
import { InstancesPanel, SlowQueriesPanel } from './OpsTables';

const POLL_MS = 15_000;

interface State {
  overview: OpsOverview | null;
  alerts: { firing: OpsAlert[]; recent: OpsAlert[] } | null;
  slow: SlowQueries | null;
  instances: OpsInstance[];
  at: string | null;
}

function Stat({ label, value, warn }: { label: string; value: string; warn?: boolean }) {
  return (
    <div className={`rounded-lg border p-2 ${warn ? 'border-red-400 bg-red-50' : 'border-line bg-slate-50'}`}>
      <div className="text-xs text-muted">{label}</div>
      <div className="text-lg font-semibold tabular-nums">{value}</div>
    </div>
  );
}

/** Admin page: live system/app/db/cache charts, alerts, slow queries and instances (polls every 15 s). */
export function OpsDashboardPage() {
  const { t } = useOpsText();
  const { t: appT } = useI18n();
  const [state, setState] = useState<State>({
    overview: null,
    alerts: null,
    slow: null,
    instances: [],
    at: null,
  });
  const [error, setError] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  useDocumentTitle(t('title'));

  const load = useCallback(async () => {
    const [overview, alerts, slow, instances] = await Promise.allSettled([
      opsApi.overview(),
      opsApi.alerts(),
      opsApi.slowQueries(),
      opsApi.instances(),
    ]);
    const failed = [overview, alerts, slow, instances].find(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    if (failed && failed.reason instanceof ApiError && failed.reason.status === 403) {
      setForbidden(true);
      return;
    }
    setError(failed ? errorMessage(failed.reason, appT) : null);
    setState((prev) => ({
      overview: overview.status === 'fulfilled' ? overview.value : prev.overview,
      alerts: alerts.status === 'fulfilled' ? alerts.value : prev.alerts,
      slow: slow.status === 'fulfilled' ? slow.value : prev.slow,
      instances: instances.status === 'fulfilled' ? instances.value.instances : prev.instances,
      at: new Date().toISOString(),
    }));
  }, [appT]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  if (forbidden)
    return (
      <div className="mx-auto max-w-3xl px-4 py-8">
        <Alert>{t('forbidden')}</Alert>
      </div>
    );
  const o = state.overview;
  const c = o?.current;
  const s = o?.series;
  const chart = (
    title: OpsKey,
    lines: [string, OpsKey][],
    format: (v: number | null) => string,
    range?: [number, number],
  ) =>
    s && (
      <OpsChart
        title={t(title)}
        series={s}
        lines={lines.map(([key, label]) => ({ key, label: t(label) }))}
        format={format}
        range={range}
        testId={`ops-chart-${title}`}
      />
    );
  const routes = o?.channels.routes;
  const chan = (list: string[] | undefined) => (list?.length ? list.join(', ') : t('noChannel'));

  return (
    <div className="mx-auto max-w-7xl space-y-6 px-4 py-8" data-testid="ops-dashboard">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-bold">{t('title')}</h1>
        <div className="flex items-center gap-3 text-sm text-muted">
          {state.at && <span>{t('updated', { time: formatClock(state.at), sec: POLL_MS / 1000 })}</span>}
          <Button size="sm" variant="secondary" onClick={() => void load()}>
            {t('refresh')}
          </Button>
        </div>
      </div>
      {error && <Alert>{error}</Alert>}
      {!o && !error && <p className="text-muted">{t('loading')}</p>}
      {routes && (
        <p className="text-sm text-muted">
          {t('channels', {
            critical: chan(routes.critical),
            warning: chan(routes.warning),
            info: chan(routes.info),
          })}
        </p>
      )}

      {state.alerts && (
        <AlertsPanel
          firing={state.alerts.firing}
          recent={state.alerts.recent}
          onChanged={() => void load()}
        />
      )}

      {c && s && (
        <>
          <section aria-labelledby="ops-system" className="space-y-3">
            <h2 id="ops-system" className="text-xl font-bold">
              {t('system')}
            </h2>
            <div className="grid grid-cols-2 gap-2 md:grid-cols-4">
              {c.system.disks.map((d) => (
                <Stat
                  key={d.volume}
                  label={`${t('disk')} · ${d.volume} (${d.path})`}
                  value={`${formatPercent(d.usedRatio)} · ${formatBytes(d.freeBytes)}`}
                  warn={d.usedRatio > 0.8}
                />
              ))}
              <Stat
                label={t('backup')}
                value={
                  c.backup.lastSuccessSec ? formatSeconds(c.t / 1000 - c.backup.lastSuccessSec) : t('never')
                }
              />
            </div>
            <div className="grid gap-3 md:grid-cols-2">
              {chart('cpu', [['cpuRatio', 'cpu']], (v) => formatPercent(v, 0), [0, 1])}
              {chart(
                'memory',
                [
                  ['memUsedRatio', 'memory'],
                  ['diskUsedRatioMax', 'disk'],
                ],
                (v) => formatPercent(v, 0),
                [0, 1],
              )}
              {chart('rss', [['rssBytes', 'rss']], formatBytes)}
              {chart(
                'network',
                [
                  ['netRxBytesPerSec', 'netIn'],
                  ['netTxBytesPerSec', 'netOut'],
                ],
                (v) => `${formatBytes(v)}/s`,
              )}
              {chart('eventLoop', [['eventLoopLagP99Sec', 'eventLoop']], formatSeconds)}
            </div>
          </section>

          <section aria-labelledby="ops-app" className="space-y-3">
            <h2 id="ops-app" className="text-xl font-bold">
              {t('application')}
            </h2>
            <div className="grid grid-cols-2 gap-2 md:grid-cols-4">
              <Stat label={t('ws')} value={String(c.app.wsConnections)} />
              <Stat label={t('participants')} value={String(c.app.participants)} />
              <Stat label={t('speakers')} value={String(c.app.activeSpeakers)} />
              <Stat
                label={t('errorRate')}
                value={formatPercent(c.app.errorRatio)}
                warn={(c.app.errorRatio ?? 0) > 0.05}
              />
            </div>
            <div className="grid gap-3 md:grid-cols-2">
              {chart('requests', [['requestsPerSec', 'requests']], (v) => formatRate(v))}
              {chart('errorRate', [['errorRatio', 'errorRate']], (v) => formatPercent(v), [0, 1])}
              {chart('p95', [['p95Sec', 'p95']], formatSeconds)}
              {chart(
                'ws',
                [
                  ['wsConnections', 'ws'],
                  ['participants', 'participants'],
                  ['activeSpeakers', 'speakers'],
                ],
                (v) => (v === null ? '—' : String(Math.round(v))),
              )}
              {chart('tickLag', [['tickLagP95Sec', 'tickLag']], formatSeconds)}
            </div>
          </section>

          <section aria-labelledby="ops-db" className="space-y-3">
            <h2 id="ops-db" className="text-xl font-bold">
              {t('database')}
            </h2>
            <div className="grid grid-cols-2 gap-2 md:grid-cols-4">
              <Stat label={t('dbUp')} value={c.db.up ? t('dbUpYes') : t('dbUpNo')} warn={!c.db.up} />
              <Stat
                label={t('pool')}
                value={
                  c.db.pool
                    ? `${c.db.pool.total} / ${c.db.pool.idle} / ${c.db.pool.waiting} / ${c.db.pool.max}`
                    : '—'
                }
                warn={(c.db.pool?.waiting ?? 0) > 0}
              />
              <Stat
                label={t('deadlocks')}
                value={c.db.deadlocksTotal === null ? '—' : String(c.db.deadlocksTotal)}
              />
              <Stat label={t('replication')} value={formatSeconds(c.db.replicationLagMaxSec)} />
            </div>
            <div className="grid gap-3 md:grid-cols-2">
              {chart('queryP95', [['dbQueryP95Sec', 'queryP95']], formatSeconds)}
              {chart('queries', [['dbQueriesPerSec', 'queries']], (v) => formatRate(v))}
              {chart(
                'pool',
                [
                  ['dbPoolTotal', 'poolOpen'],
                  ['dbPoolIdle', 'poolIdle'],
                  ['dbPoolWaiting', 'poolWaiting'],
                ],
                (v) => (v === null ? '—' : String(Math.round(v))),
              )}
            </div>
          </section>

          <section aria-labelledby="ops-cache" className="space-y-3">
            <h2 id="ops-cache" className="text-xl font-bold">
              {t('cache')}
            </h2>
            {c.cache ? (
              <>
                <div className="grid grid-cols-2 gap-2 md:grid-cols-4">
                  <Stat
                    label={t('hitRatio')}
                    value={formatPercent(c.cache.hitRatio)}
                    warn={c.cache.hitRatio !== null && c.cache.hitRatio < 0.8}
                  />
                  <Stat label={t('cacheMemory')} value={formatBytes(c.cache.usedMemoryBytes)} />
                  <Stat label={t('keys')} value={`${c.cache.keys} (${c.cache.keysWithTtl})`} />
                </div>
                <div className="grid gap-3 md:grid-cols-2">
                  {chart('hitRatio', [['cacheHitRatio', 'hitRatio']], (v) => formatPercent(v), [0, 1])}
                  {chart('cacheMemory', [['cacheMemoryBytes', 'cacheMemory']], formatBytes)}
                </div>
              </>
            ) : (
              <p className="text-muted">{t('noCache')}</p>
            )}
          </section>
        </>
      )}

      <SlowQueriesPanel data={state.slow} />
      <InstancesPanel instances={state.instances} />
    </div>
  );
}
