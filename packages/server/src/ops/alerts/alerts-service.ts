import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { OpsSample } from '../monitoring/sample.js';
import type { AlertRow, AlertsRepo } from './alerts-repo.js';
import type { AlertMessage, Notifier } from './notifiers.js';
import { alertMessage, fingerprintOf, kebab, raiseInputSchema, type RaiseInput } from './alert-input.js';
import { formatValue, renderSummary, RULES, type AlertRule, type Severity } from './rules.js';

export interface AlertsServiceDeps {
  repo: AlertsRepo;
  notifier: Notifier;
  log: Logger;
  runbookBaseUrl: string;
  dashboardUrl: string | null;
  repeatIntervalMs: number;
  adhocResolveMs: number;
  rules?: AlertRule[];
  now?: () => number;
}

/**
 * Rule evaluation (pending → firing → resolved), ad-hoc alerts, and notifications with
 * de-duplication (one firing row per fingerprint), repeats, acknowledgement and silences.
 * The database holds the state, so any instance can raise, ack or silence.
 */
export function createAlertsService(deps: AlertsServiceDeps) {
  const rules = (deps.rules ?? RULES).filter((r) => r.check && !r.prometheusOnly);
  const now = () => new Date((deps.now ?? Date.now)());
  const pendingSince = new Map<string, number>();
  const inflight = new Set<Promise<unknown>>();
  const descriptions = new Map<string, string>();

  const message = (row: AlertRow, kind: AlertMessage['kind']): AlertMessage =>
    alertMessage(row, kind, {
      rule: rules.find((r) => r.name === row.name && row.source === 'rule'),
      description: descriptions.get(row.fingerprint),
      runbookBaseUrl: deps.runbookBaseUrl,
      dashboardUrl: deps.dashboardUrl,
    });

  // Occurrences opened while the alert store (the database) was unreachable — DatabaseDown must
  // still be told. They are notified from memory and written to the history once it answers.
  const offline = new Map<string, AlertRow>();
  const unsaved: AlertRow[] = [];
  const unsavedDeliveries: {
    alertId: string;
    kind: AlertMessage['kind'];
    results: Awaited<ReturnType<Notifier['send']>>;
  }[] = [];
  const quietly = async <T>(what: string, p: Promise<T>): Promise<T | null> =>
    p.catch((err: Error) => {
      deps.log.warn({ err: err.message, what }, 'alert store unreachable');
      return null;
    });

  /** Sends unless silenced; records each channel's result. Runs in the background. */
  function notify(row: AlertRow, kind: AlertMessage['kind']): void {
    const p = (async () => {
      const at = now();
      if (await quietly('silences', deps.repo.silencedUntil(row.fingerprint, at))) return;
      const results = await deps.notifier.send(message(row, kind));
      if (kind !== 'resolved') {
        row.last_notified_at = at;
        row.notify_count++;
        await quietly('mark notified', deps.repo.markNotified(row.id, at));
      }
      if ((await quietly('deliveries', deps.repo.recordDeliveries(row.id, kind, results))) === null) {
        unsavedDeliveries.push({ alertId: row.id, kind, results });
      }
      deps.log.info(
        {
          alert: row.name,
          fingerprint: row.fingerprint,
          kind,
          delivered: results.map((r) => `${r.channel}:${r.ok ? 'ok' : 'failed'}`),
        },
        'alert notification',
      );
    })().catch((err) => deps.log.error({ err, alert: row.name }, 'alert notification failed'));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }

  async function fire(
    input: Parameters<AlertsRepo['fire']>[0],
  ): Promise<{ row: AlertRow; created: boolean }> {
    let stored: { row: AlertRow; created: boolean };
    try {
      stored = await deps.repo.fire(input);
    } catch (err) {
      const known = offline.get(input.fingerprint);
      if (known) {
        known.last_seen_at = input.at;
        known.value = input.value;
        return { row: known, created: false };
      }
      const { at: _at, ...fields } = input;
      const row: AlertRow = {
        ...fields,
        id: randomUUID(),
        status: 'firing',
        started_at: input.at,
        last_seen_at: input.at,
        resolved_at: null,
        last_notified_at: null,
        notify_count: 0,
        acked_at: null,
        acked_by: null,
      };
      offline.set(row.fingerprint, row);
      deps.log.error(
        { err: (err as Error).message, alert: row.name },
        'alert store unreachable: notifying from memory',
      );
      notify(row, 'firing');
      return { row, created: true };
    }
    const { row, created } = stored;
    const wasOffline = offline.get(row.fingerprint);
    if (wasOffline) {
      // the store is back while it still fires: it was already notified from memory
      offline.delete(row.fingerprint);
      for (const d of unsavedDeliveries) if (d.alertId === wasOffline.id) d.alertId = row.id;
      if (created && wasOffline.last_notified_at) {
        await quietly('mark notified', deps.repo.markNotified(row.id, wasOffline.last_notified_at));
        return { row, created: false };
      }
    }
    if (created) {
      deps.log.warn(
        {
          alert: row.name,
          severity: row.severity,
          level: row.level,
          fingerprint: row.fingerprint,
          summary: row.summary,
        },
        'alert firing',
      );
      notify(row, 'firing');
    }
    return { row, created };
  }

  async function resolve(row: AlertRow): Promise<void> {
    const at = now();
    if (offline.get(row.fingerprint) === row) {
      offline.delete(row.fingerprint);
      row.status = 'resolved';
      row.resolved_at = at;
      unsaved.push(row);
    } else {
      const done = await quietly('resolve', deps.repo.resolve(row.id, at));
      if (!done) return;
      row = done;
    }
    deps.log.info({ alert: row.name, fingerprint: row.fingerprint }, 'alert resolved');
    if (row.last_notified_at) notify(row, 'resolved');
  }

  /** Writes occurrences that fired and resolved while the store was down. */
  async function saveUnsaved(): Promise<void> {
    while (unsaved.length > 0) {
      if ((await quietly('history', deps.repo.insertHistory(unsaved[0]!))) === null) return;
      unsaved.shift();
    }
    while (unsavedDeliveries.length > 0) {
      const d = unsavedDeliveries[0]!;
      if (
        (await quietly(
          'deliveries',
          deps.repo.recordDeliveries(d.alertId, d.kind, d.results).then(() => true),
        )) === null
      )
        return;
      unsavedDeliveries.shift();
    }
  }

  return {
    rules,
    /**
     * One evaluation: `histories` are the sampled metrics per instance (oldest first);
     * `own` is this instance's, used for cluster-wide rules.
     */
    async evaluate(
      histories: Map<string, readonly OpsSample[]>,
      own: string,
    ): Promise<{ firing: number; pending: number }> {
      const at = now();
      const active = new Set<string>();
      for (const rule of rules) {
        const targets =
          rule.scope === 'cluster' ? [[own, histories.get(own) ?? []] as const] : [...histories.entries()];
        for (const [instance, history] of targets) {
          if (history.length === 0) continue;
          for (const hit of rule.check!(history)) {
            const labels = rule.scope === 'instance' ? { ...hit.labels, instance } : hit.labels;
            const fp = fingerprintOf(rule.name, labels);
            active.add(fp);
            const since = pendingSince.get(fp) ?? at.getTime();
            pendingSince.set(fp, since);
            if (at.getTime() - since < rule.forSec * 1000) continue;
            await fire({
              fingerprint: fp,
              name: rule.name,
              source: 'rule',
              severity: rule.severity,
              level: rule.level,
              summary: renderSummary(rule.summary, labels, formatValue(hit.value, rule.valueFormat)),
              labels,
              value: hit.value,
              runbook: rule.runbook,
              at,
            });
          }
        }
      }
      for (const fp of pendingSince.keys()) if (!active.has(fp)) pendingSince.delete(fp);
      await saveUnsaved();
      const firing = [...((await quietly('firing', deps.repo.firing())) ?? []), ...offline.values()];
      for (const row of firing) {
        const stale =
          row.source === 'rule'
            ? !active.has(row.fingerprint)
            : at.getTime() - new Date(row.last_seen_at).getTime() > deps.adhocResolveMs;
        if (stale) await resolve(row);
        else if (
          !row.acked_at &&
          row.last_notified_at &&
          at.getTime() - new Date(row.last_notified_at).getTime() >= deps.repeatIntervalMs
        ) {
          notify(row, 'repeat');
        }
      }
      return {
        firing: firing.length,
        pending: [...pendingSince.keys()].filter((fp) => !firing.some((f) => f.fingerprint === fp)).length,
      };
    },

    /** Raises (or refreshes) an ad-hoc alert; notifications go out once per occurrence. */
    async raise(input: RaiseInput): Promise<{ fingerprint: string; created: boolean }> {
      const a = raiseInputSchema.parse(input);
      const fp = fingerprintOf(a.name, a.labels);
      if (a.description) descriptions.set(fp, a.description);
      const { created } = await fire({
        fingerprint: fp,
        name: a.name,
        source: 'adhoc',
        severity: a.severity as Severity,
        level: a.level,
        summary: a.summary,
        labels: a.labels,
        value: a.value ?? null,
        runbook: a.runbook ?? kebab(a.name),
        at: now(),
      });
      return { fingerprint: fp, created };
    },

    /** Clears an ad-hoc alert before ALERT_ADHOC_RESOLVE_MIN does. */
    async resolveAdhoc(name: string, labels: Record<string, string> = {}): Promise<boolean> {
      const row = (await deps.repo.firing()).find((r) => r.fingerprint === fingerprintOf(name, labels));
      if (!row) return false;
      await resolve(row);
      return true;
    },

    ack: (fp: string, userId: string) => deps.repo.ack(fp, userId, now()),
    async silence(fp: string, minutes: number, userId: string | null): Promise<Date> {
      const until = new Date(now().getTime() + minutes * 60_000);
      await deps.repo.silence(fp, until, userId);
      return until;
    },

    /** Waits for notifications in flight (tests, shutdown). */
    async idle(): Promise<void> {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
}
export type AlertsService = ReturnType<typeof createAlertsService>;
