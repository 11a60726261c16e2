import { hostname } from 'node:os';
import pino, { type Level, type Logger, type LoggerOptions, type StreamEntry } from 'pino';
import { createDailyFile, LOG_STREAMS, type Clock, type DailyFile, type LogStreamName } from './log-file.js';
import { redact, redactString, redactUrl, type RedactOptions } from './log-redact.js';
import type { LogConfig, LogStreams, LogTap, SecurityFields, WsAccessEvent } from './log-types.js';

/**
 * Structured JSON logs, kept apart in five streams: app (general), access (every HTTP request and
 * WebSocket connect/disconnect), error, performance (slow requests/queries, tick overruns) and
 * security (logins, denials, token reuse, rate limiting). Each goes to stdout at LOG_LEVEL and,
 * with LOG_DIR, to LOG_DIR/<stream>/<stream>-YYYY-MM-DD.log at LOG_FILE_LEVEL. Every argument is
 * redacted (see log-redact.ts) before pino sees it.
 */

/** Events that other code logs with `{ event }` on the app logger and that belong on the security stream. */
const SECURITY_EVENTS = new Set([
  'refresh_token_reuse',
  'login_failed',
  'login_succeeded',
  'permission_denied',
  'account_disabled',
]);
const PINO_LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

function redactArgs(args: unknown[], opts: RedactOptions): unknown[] {
  const [first, ...rest] = args;
  const out: unknown[] = [];
  if (first instanceof Error)
    out.push({ err: redact(first, opts) }, ...(rest.length ? [] : [redactString(first.message, opts)]));
  else if (first !== null && typeof first === 'object') out.push(redact(first, opts));
  else out.push(typeof first === 'string' ? redactString(first, opts) : first);
  for (const r of rest) out.push(typeof r === 'string' ? redactString(r, opts) : redact(r, opts));
  return out;
}

interface Built {
  logger: Logger;
  file?: DailyFile;
}

export function createLogStreams(config: LogConfig, options: { clock?: Clock } = {}): LogStreams {
  const clock = options.clock ?? Date.now;
  const redactOptions: RedactOptions = { personalData: config.LOG_PERSONAL_DATA ?? false };
  const fileLevel: Level = config.LOG_FILE_LEVEL ?? 'info';
  let tap: LogTap | null = null;
  const loggers = {} as Record<LogStreamName, Logger>;
  const files: Partial<Record<LogStreamName, DailyFile>> = {};

  const build = (stream: LogStreamName): Built => {
    const entries: StreamEntry[] = [];
    if (config.LOG_LEVEL !== 'silent') entries.push({ level: config.LOG_LEVEL, stream: process.stdout });
    let file: DailyFile | undefined;
    if (config.LOG_DIR) {
      file = createDailyFile(config.LOG_DIR, stream, clock);
      entries.push({ level: fileLevel, stream: file });
    }
    const minLevel = entries.length
      ? entries.map((e) => PINO_LEVELS[e.level as string]!).reduce((a, b) => Math.min(a, b))
      : Infinity;
    const level =
      minLevel === Infinity ? 'silent' : Object.keys(PINO_LEVELS).find((k) => PINO_LEVELS[k] === minLevel)!;
    const opts: LoggerOptions = {
      level,
      base: { stream, pid: process.pid, hostname: hostname() },
      // Errors are already plain, redacted objects (redactArgs); pino's serializer would retype them.
      serializers: { err: (e: unknown) => e },
      timestamp: () => `,"time":"${new Date(clock()).toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (b) => redact(b, redactOptions) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method, lvl) {
          const clean = redactArgs(args, redactOptions) as Parameters<typeof method>;
          if (stream === 'app') routeFromApp(this, clean, lvl);
          else if (tap) {
            const obj =
              clean[0] !== null && typeof clean[0] === 'object' ? (clean[0] as Record<string, unknown>) : {};
            const msg =
              typeof clean[0] === 'string' ? clean[0] : typeof clean[1] === 'string' ? clean[1] : undefined;
            try {
              // The root logger's bindings are only the base fields: skip parsing them per line.
              if (this === loggers[stream]) tap(stream, lvl, obj, msg);
              else {
                const { stream: _s, ...bindings } = this.bindings();
                tap(stream, lvl, { ...bindings, ...obj }, msg);
              }
            } catch {
              // detection must never break logging
            }
          }
          method.apply(this, clean);
        },
      },
    };
    const logger = entries.length
      ? pino(opts, pino.multistream(entries))
      : pino({ ...opts, level: 'silent' });
    return { logger, file };
  };

  /** App lines at error and above also go to the error stream; known security events to the security stream. */
  function routeFromApp(self: Logger, args: unknown[], lvl: number) {
    const obj = args[0] !== null && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : null;
    const isSecurity = typeof obj?.event === 'string' && SECURITY_EVENTS.has(obj.event);
    if (lvl < 50 && !isSecurity) return;
    const target = isSecurity ? loggers.security : loggers.error;
    const { stream: _from, ...bindings } = self.bindings();
    const child = Object.keys(bindings).length ? target.child(bindings) : target;
    const name = pino.levels.labels[lvl] as Level;
    (child[name] as (...a: unknown[]) => void)(...args);
  }

  for (const s of LOG_STREAMS) {
    const b = build(s);
    loggers[s] = b.logger;
    if (b.file) files[s] = b.file;
  }

  let overruns = 0;
  let lastOverrunLog = 0;
  const slowQueryMs = config.LOG_SLOW_QUERY_MS ?? 250;
  const tickOverrunMs = config.LOG_TICK_OVERRUN_MS ?? 100;

  const streams: LogStreams = {
    ...loggers,
    redactOptions,
    securityLog(event, fields = {}) {
      const { req, level, ...rest } = fields;
      const line: Record<string, unknown> = { event, ...rest };
      if (req) {
        if (req.id !== undefined) line.reqId = String(req.id);
        if (req.ip && line.ip === undefined) line.ip = req.ip;
        const ua = req.headers?.['user-agent'];
        if (typeof ua === 'string' && line.userAgent === undefined) line.userAgent = ua;
      }
      const lvl = level ?? (/succeeded|success|logout|created/.test(event) ? 'info' : 'warn');
      loggers.security[lvl](line, event.replace(/_/g, ' '));
    },
    accessLogWs(e) {
      const path = (e.url ?? '').split('?')[0]!.split('#')[0]!;
      const line: Record<string, unknown> = {
        kind: 'ws',
        event: e.event,
        reqId: e.connId,
        method: 'GET',
        route: path.startsWith('/ws/sessions/') ? '/ws/sessions/:id' : path || undefined,
        url: path ? redactUrl(path, redactOptions) : undefined,
        sessionId: e.sessionId,
        role: e.role,
        status: e.code,
        reason: e.reason,
        durationMs: e.durationMs,
        bytesIn: e.bytesIn,
        bytesOut: e.bytesOut,
        messagesIn: e.messagesIn,
        ip: e.ip,
        userAgent: e.userAgent,
      };
      loggers.access.info(line, `ws ${e.event}`);
      if (e.event === 'reject' && e.code !== undefined && e.code >= 4000) {
        streams.securityLog('ws_rejected', {
          code: e.code,
          reason: e.reason,
          ip: e.ip,
          sessionId: e.sessionId,
          reqId: e.connId,
        });
      }
    },
    onQuery(event) {
      if (event.level !== 'query' || event.queryDurationMillis < slowQueryMs) return;
      loggers.performance.warn(
        {
          kind: 'slow_query',
          durationMs: Math.round(event.queryDurationMillis),
          thresholdMs: slowQueryMs,
          sql: event.query.sql.slice(0, 500),
        },
        'slow query',
      );
    },
    tick(durationMs, lagMs) {
      if (durationMs < tickOverrunMs && lagMs < tickOverrunMs) return;
      overruns++;
      const now = clock();
      // A struggling tick overruns four times a second: one line per 10 s says it without flooding.
      if (now - lastOverrunLog < 10_000) return;
      loggers.performance.warn(
        {
          kind: 'tick_overrun',
          durationMs: Math.round(durationMs),
          lagMs: Math.round(lagMs),
          thresholdMs: tickOverrunMs,
          overruns,
        },
        'real-time tick overran',
      );
      lastOverrunLog = now;
      overruns = 0;
    },
    setTap(t) {
      tap = t;
    },
    files: () => Object.fromEntries(Object.entries(files).map(([k, f]) => [k, f.currentPath()])),
    close() {
      for (const f of Object.values(files)) f.close();
      const i = active.indexOf(streams);
      if (i >= 0) active.splice(i, 1);
    },
  };
  active.push(streams);
  return streams;
}

/**
 * The app logger of a new set of streams: what CLI commands use, so that the security events they
 * cause (securityLog) reach the security file too when LOG_DIR is set.
 */
export function createLogger(config: LogConfig): Logger {
  return createLogStreams(config).app;
}

// ---- process-wide entry points for code that has no LogStreams at hand ------------------------
// The most recently built and not yet closed LogStreams receives them (one app per process in
// production; tests that build several get the newest).
const active: LogStreams[] = [];
let fallback: LogStreams | null = null;
const current = (): LogStreams => {
  const last = active.at(-1);
  if (last) return last;
  fallback ??= (() => {
    const s = createLogStreams({ LOG_LEVEL: 'info' });
    active.splice(active.indexOf(s), 1);
    return s;
  })();
  return fallback;
};

/** Records a security event (login failure, denial, token reuse, rate limit, …) on the security stream. */
export function securityLog(event: string, fields: SecurityFields = {}): void {
  current().securityLog(event, fields);
}

/** Records a WebSocket connect/disconnect/reject on the access stream. */
export function accessLogWs(event: WsAccessEvent): void {
  current().accessLogWs(event);
}
