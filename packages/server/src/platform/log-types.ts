import type { LogEvent } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { LogStreamName } from './log-file.js';
import type { RedactOptions } from './log-redact.js';

/** The shapes of the five log streams (logger.ts builds them). */

export type LogConfig = Pick<Config, 'LOG_LEVEL'> &
  Partial<
    Pick<
      Config,
      'LOG_DIR' | 'LOG_FILE_LEVEL' | 'LOG_PERSONAL_DATA' | 'LOG_SLOW_QUERY_MS' | 'LOG_TICK_OVERRUN_MS'
    >
  >;

/** Sees every line of the access, error, performance and security streams (the detector). */
export type LogTap = (
  stream: LogStreamName,
  level: number,
  fields: Record<string, unknown>,
  msg: string | undefined,
) => void;

export interface SecurityFields extends Record<string, unknown> {
  /** The request the event belongs to: its id, IP and user agent are taken from it. */
  req?: { id?: unknown; ip?: string; headers?: Record<string, unknown> };
  level?: 'info' | 'warn' | 'error';
}

/** One WebSocket connection event, for the access stream. The URL's query is never logged. */
export interface WsAccessEvent {
  event: 'connect' | 'disconnect' | 'reject';
  /** request URL or path; anything after "?" (the token) is dropped */
  url?: string;
  /** a connection id, the same on connect and disconnect (the line's reqId) */
  connId?: string;
  sessionId?: string;
  role?: string;
  ip?: string;
  userAgent?: string;
  /** close code (disconnect, reject) */
  code?: number;
  reason?: string;
  durationMs?: number;
  bytesIn?: number;
  bytesOut?: number;
  messagesIn?: number;
}

export interface LogStreams {
  app: Logger;
  access: Logger;
  error: Logger;
  performance: Logger;
  security: Logger;
  /** Records a security event on the security stream (and tells the detector). */
  securityLog(event: string, fields?: SecurityFields): void;
  accessLogWs(event: WsAccessEvent): void;
  /** Kysely query listener: slow queries go to the performance stream. */
  onQuery(event: LogEvent): void;
  /** Called after every real-time tick: overruns go to the performance stream. */
  tick(durationMs: number, lagMs: number): void;
  setTap(tap: LogTap | null): void;
  redactOptions: RedactOptions;
  /** Files written now, by stream (empty without LOG_DIR). */
  files(): Partial<Record<LogStreamName, string | null>>;
  close(): void;
}
