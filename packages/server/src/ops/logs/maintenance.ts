import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { utcDay } from '../../platform/log-file.js';
import { archiveLogs } from './archive.js';
import { loadKeyring, type Keyring } from './archive-file.js';
import { DAY_MS } from './log-files.js';
import { buildReport, type ReportPeriod } from './report.js';
import { reportName, saveReport, sendReport } from './report-output.js';
import { pruneLogs } from './retention.js';

/**
 * The daily log job: prune what is past retention, archive what is old enough, write yesterday's
 * report (and last week's on Mondays) and send it where configured. Started by buildApp when
 * LOG_DIR is set; runs at 00:05 UTC; one line per run on the app stream.
 */

export interface MaintenanceResult {
  status: 'ok' | 'partial' | 'failed';
  line: string;
}

const RUN_AT_MS = 5 * 60_000;

export async function runLogMaintenance(
  config: Config,
  opts: { now?: number } = {},
): Promise<MaintenanceResult> {
  const now = opts.now ?? Date.now();
  const parts: string[] = [];
  let problems = 0;
  const prune = await pruneLogs(config, { now });
  parts.push(prune.line.replace(/^logs /, ''));
  if (prune.status === 'partial') problems++;
  const archive = await archiveLogs(config, { now });
  parts.push(archive.line.replace(/^logs /, ''));
  if (archive.status === 'partial' || archive.status === 'failed') problems++;

  let keyring: Keyring = { current: null, byId: new Map() };
  try {
    keyring = loadKeyring(config);
  } catch {
    // reported by the archive step; reports then skip archived days
  }
  const yesterday = utcDay(now - DAY_MS);
  const periods: ReportPeriod[] = new Date(now).getUTCDay() === 1 ? ['daily', 'weekly'] : ['daily'];
  for (const period of periods) {
    const name = `${period}-${yesterday}`;
    if (existsSync(path.join(config.LOG_DIR!, 'reports', `${name}.json`))) continue;
    try {
      const report = await buildReport(config.LOG_DIR!, keyring, period, yesterday, now);
      saveReport(config.LOG_DIR!, report);
      const sent = await sendReport(config, report);
      parts.push(`report ${reportName(report)}${sent.sent.length ? ` sent to ${sent.sent.join('+')}` : ''}`);
      if (sent.failed.length) {
        problems++;
        parts.push(`sending failed: ${sent.failed.join('; ')}`);
      }
    } catch (err) {
      problems++;
      parts.push(`report ${name} failed: ${(err as Error).message}`);
    }
  }
  const status = problems === 0 ? 'ok' : problems >= 3 ? 'failed' : 'partial';
  return { status, line: `log maintenance: ${status}; ${parts.join('; ')}` };
}

/** Schedules runLogMaintenance daily at 00:05 UTC (unref'd timers). Returns the stop function. */
export function startLogMaintenance(config: Config, log: Logger, clock: () => number = Date.now): () => void {
  if (!config.LOG_DIR) return () => {};
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = () => {
    const now = clock();
    const next = Math.floor(now / DAY_MS) * DAY_MS + RUN_AT_MS;
    const delay = (next > now ? next : next + DAY_MS) - now;
    timer = setTimeout(run, delay);
    timer.unref();
  };
  const run = () => {
    runLogMaintenance(config, { now: clock() })
      .then((r) =>
        r.status === 'ok'
          ? log.info({ job: 'log-maintenance', status: r.status }, r.line)
          : log.warn({ job: 'log-maintenance', status: r.status }, r.line),
      )
      .catch((err: unknown) => log.error({ job: 'log-maintenance', err }, 'log maintenance failed'))
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  schedule();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
