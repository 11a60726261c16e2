import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { workerIndex } from '../../platform/cluster.js';
import type { LogStreams } from '../../platform/log-types.js';
import { detectorSettings, LogDetector, type Finding, type FindingSink } from './detector.js';
import { installHttpLogging } from './http-logging.js';
import { startLogMaintenance } from './maintenance.js';

export { LogDetector, type Finding, type FindingSink } from './detector.js';
export { alertSink, type AlertRaiser } from './alert-sink.js';

export interface LogOps {
  detector: LogDetector;
  /** Adds a place findings go to (the alerting hook); the app-stream warn line always stays. */
  addSink(sink: FindingSink): void;
  close(): void;
}

/** Default sink: one warn line on the app stream per finding. */
export const logFindingSink =
  (log: Logger): FindingSink =>
  (finding: Finding) =>
    log.warn({ finding }, `log detector: ${finding.message}`);

/**
 * Wires the log operations into the app: access/performance/security lines from HTTP hooks, the
 * real-time detector on the stream tap, and (with LOG_DIR) the daily retention/archive/report job.
 */
export function installLogOps(fastify: FastifyInstance, logs: LogStreams, config: Config): LogOps {
  const sinks: FindingSink[] = [logFindingSink(logs.app)];
  const detector = new LogDetector(detectorSettings(config), (f) => {
    for (const s of sinks) {
      try {
        s(f);
      } catch {
        // one failing sink must not stop the others
      }
    }
  });
  logs.setTap(detector.observe);
  installHttpLogging(fastify, logs, { slowRequestMs: config.LOG_SLOW_REQUEST_MS });
  // Cluster workers share LOG_DIR: the first one runs the daily job (reports go out once).
  const worker = workerIndex();
  const stopMaintenance = worker === null || worker === 1 ? startLogMaintenance(config, logs.app) : () => {};
  return {
    detector,
    addSink: (s) => void sinks.push(s),
    close() {
      stopMaintenance();
      logs.setTap(null);
    },
  };
}
