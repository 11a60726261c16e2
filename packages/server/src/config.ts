import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

/** The only reader of process.env: every setting R-Stream has, validated once at start-up. */

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, from src/ (tsx) or dist/ (built). */
export const REPO_ROOT = path.resolve(here, '../../..');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p)), {
      message: `must start with ${protocols.join(' or ')}`,
    })
    .refine((v) => v === undefined || URL.canParse(v), { message: 'is not a valid URL' });
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: optionalUrl(['http://', 'https://']),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl(['postgres://', 'postgresql://']),
  DB_POOL_MAX: int(1, 200).default(10),
  REDIS_URL: optionalUrl(['redis://', 'rediss://']),
  JWT_SECRET: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || v.length >= 32, {
      message: 'must be at least 32 characters',
    }),
  ACCESS_TOKEN_TTL_SEC: int(60, 24 * 3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // ---- logs (ops/logs): streams, files, retention, archives, detection, reports ----
  LOG_DIR: z.string().optional(),
  LOG_FILE_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  LOG_PERSONAL_DATA: bool.default(false),
  LOG_SLOW_REQUEST_MS: int(1, 600_000).default(1000),
  LOG_SLOW_QUERY_MS: int(1, 600_000).default(250),
  LOG_TICK_OVERRUN_MS: int(1, 60_000).default(100),
  LOG_RETENTION_ACCESS_DAYS: int(1, 3650).default(90),
  LOG_RETENTION_ERROR_DAYS: int(1, 3650).default(180),
  LOG_RETENTION_SECURITY_DAYS: int(1, 3650).default(365),
  LOG_RETENTION_PERFORMANCE_DAYS: int(1, 3650).default(30),
  LOG_RETENTION_APP_DAYS: int(1, 3650).default(30),
  LOG_ARCHIVE_AFTER_DAYS: int(1, 3650).default(7),
  LOG_ARCHIVE_KEY: z.string().optional(),
  LOG_ARCHIVE_KEY_FILE: z.string().optional(),
  LOG_ARCHIVE_OLD_KEYS: z.string().optional(),
  LOG_ARCHIVE_UPLOAD: bool.default(true),
  LOG_DETECT_WINDOW_SEC: int(5, 3600).default(60),
  LOG_DETECT_ERRORS: int(1, 1_000_000).default(20),
  LOG_DETECT_5XX: int(1, 1_000_000).default(10),
  LOG_DETECT_LOGIN_FAILURES_PER_IP: int(1, 1_000_000).default(10),
  LOG_DETECT_LOGIN_FAILURES_PER_ACCOUNT: int(1, 1_000_000).default(5),
  LOG_DETECT_LATENCY_FACTOR: z.coerce.number().min(1.1).max(100).default(3),
  LOG_DETECT_LATENCY_MIN_MS: int(1, 600_000).default(300),
  LOG_REPORT_SLACK_WEBHOOK_URL: optionalUrl(['https://', 'http://']),
  LOG_REPORT_EMAIL_TO: z.string().optional(),
  TICK_MS: int(20, 5000).default(250),
  /** Worker processes on this machine (one port). Default: one per core in production with
   *  PostgreSQL, otherwise 1 (the embedded database lives in one process). */
  WORKERS: int(1, 256).optional(),
  PRESENCE_GRACE_MS: int(0, 600_000).default(10_000),
  WEB_DIST_DIR: z.string().optional(),
  STORAGE_DIR: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
  // ---- monitoring and alerts (ops/monitoring, ops/alerts) ----
  ALERTS_ENABLED: bool.default(true),
  ALERT_EVAL_INTERVAL_SEC: int(1, 300).default(15),
  ALERT_ROUTES: z
    .string()
    .default('critical=slack,email,sms;warning=slack,email;info=')
    .refine(
      (v) =>
        /^\s*((critical|warning|info)\s*=\s*((slack|email|sms)\s*(,\s*(slack|email|sms)\s*)*)?)?(;\s*((critical|warning|info)\s*=\s*((slack|email|sms)\s*(,\s*(slack|email|sms)\s*)*)?)?)*$/.test(
          v,
        ),
      {
        message:
          'must look like critical=slack,email,sms;warning=slack,email;info= (severities critical/warning/info, channels slack/email/sms)',
      },
    ),
  ALERT_REPEAT_INTERVAL_MIN: int(1, 7 * 24 * 60).default(60),
  ALERT_ADHOC_RESOLVE_MIN: int(1, 7 * 24 * 60).default(30),
  ALERT_NOTIFY_RETRIES: int(1, 10).default(3),
  ALERT_NOTIFY_BACKOFF_MS: int(1, 600_000).default(2000),
  ALERT_RUNBOOK_BASE_URL: z
    .string()
    .url()
    .default('https://github.com/RenRen62/R-Stream/blob/main/docs/runbooks/'),
  ALERT_SLACK_WEBHOOK_URL: optionalUrl(['https://', 'http://']),
  SMTP_URL: optionalUrl(['smtp://', 'smtps://']),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: int(1, 65535).default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  ALERT_EMAIL_TO: z.string().optional(),
  ALERT_EMAIL_FROM: z.string().default('R-Stream alerts <alerts@localhost>'),
  ALERT_SMS_URL: optionalUrl(['https://', 'http://']).default('https://api.twilio.com'),
  ALERT_SMS_ACCOUNT_SID: z.string().optional(),
  ALERT_SMS_AUTH_TOKEN: z.string().optional(),
  ALERT_SMS_FROM: z.string().optional(),
  ALERT_SMS_TO: z.string().optional(),
  ALERTMANAGER_WEBHOOK_TOKEN: z.string().optional(),
  ARCHIVE_RETENTION_DAYS: int(1, 3650).default(30),
  // ---- recordings, media storage and archive (features/recordings, features/archive) ----
  /** Where recordings and report files live: local disk (STORAGE_DIR, RECORDINGS_DIR) or S3. */
  STORAGE_BACKEND: z.enum(['local', 's3']).default('local'),
  /** Key prefix inside the bucket for STORAGE_BACKEND=s3 (default: none, keys start at recordings/). */
  S3_PREFIX: z.string().default(''),
  /** Server-side encryption of every object written: '' (bucket default), AES256 or aws:kms. */
  S3_SSE: z.enum(['', 'AES256', 'aws:kms']).default(''),
  S3_SSE_KMS_KEY_ID: z.string().optional(),
  RECORDING_MAX_BYTES: int(1024 * 1024, 1024 ** 4).default(4 * 1024 ** 3),
  RECORDING_MAX_DURATION_MIN: int(1, 24 * 60).default(240),
  /** An upload idle this long is finished with what arrived (interrupted: true). */
  RECORDING_GRACE_SEC: int(1, 7 * 24 * 3600).default(300),
  /** auto: use ffmpeg/ffprobe when found on PATH (remux, true duration, thumbnails); off: never. */
  RECORDING_FFMPEG: z.enum(['auto', 'off']).default('auto'),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  /** HMAC key of signed media URLs; must be the same on every instance (else generated in DATA_DIR). */
  MEDIA_URL_SECRET: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || v.length >= 32, {
      message: 'must be at least 32 characters',
    }),
  MEDIA_URL_TTL_SEC: int(60, 7 * 24 * 3600).default(6 * 3600),
  /** How often the archive retention job looks for expired sessions (once across instances). */
  ARCHIVE_RETENTION_INTERVAL_MIN: int(1, 7 * 24 * 60).default(24 * 60),
  RATE_LIMIT_AUTH_PER_MIN: int(1, 1_000_000).default(30),
  RATE_LIMIT_JOIN_PER_MIN: int(1, 1_000_000).default(60),
  // ---- S3-compatible object storage (platform/s3.ts) and backups/sync (ops/backup) ----
  S3_ENDPOINT: optionalUrl(['http://', 'https://']),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  // ---- security audit (ops/audit, docs/security.md); S3_SSE is defined with the storage above ----
  AUDIT_SCHEDULE: z.enum(['auto', 'on', 'off']).default('auto'),
  AUDIT_DAY_OF_MONTH: int(1, 28).default(1),
  AUDIT_HOUR_UTC: int(0, 23).default(4),
  AUDIT_PERIOD_DAYS: int(1, 366).default(31),
  AUDIT_INACTIVE_DAYS: int(7, 3650).default(90),
  AUDIT_RPO_HOURS: int(1, 24 * 30).default(2),
  AUDIT_DRILL_MAX_DAYS: int(1, 3650).default(35),
  ARCHIVES_DIR: z.string().min(1).default('./archives'),
  /** Local folder of the `recordings/` storage prefix (default DATA_DIR/recordings). */
  RECORDINGS_DIR: z.string().min(1).optional(),
  BACKUP_DIR: z.string().optional(),
  BACKUP_SCHEDULE: z.enum(['auto', 'on', 'off']).default('auto'),
  BACKUP_HOURLY_MINUTE: int(0, 59).default(5),
  BACKUP_DAILY_HOUR_UTC: int(0, 23).default(3),
  BACKUP_KEEP_HOURLY_HOURS: int(1, 24 * 365).default(48),
  BACKUP_KEEP_DAILY_DAYS: int(1, 3650).default(30),
  BACKUP_ENCRYPTION_KEY: z.string().optional(),
  BACKUP_ENCRYPTION_KEY_FILE: z.string().optional(),
  BACKUP_UPLOAD_S3: bool.default(false),
  BACKUP_S3_PREFIX: z.string().default('backups/db/'),
  // ---- accounts and access control (features/auth, admin, invitations; docs/security.md) ----
  MAIL_FROM: z.string().min(3).default('R-Stream <no-reply@localhost>'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)
          // `*` (any origin) is accepted for development only: the security audit reports it critical
          .every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)),
      {
        message: 'must be a comma-separated list of origins such as https://app.example.com (no path)',
      },
    ),
  AUTH_LOCKOUT_THRESHOLD: int(1, 1000).default(5),
  AUTH_LOCKOUT_WINDOW_MIN: int(1, 24 * 60).default(15),
  AUTH_LOCKOUT_MIN: int(1, 24 * 60).default(15),
  AUTH_IP_FAILURE_THRESHOLD: int(1, 1_000_000).default(50),
  WS_MAX_CONNECTIONS_PER_IP: int(1, 1_000_000).default(200),
  WS_CONNECTION_LIMIT_EXEMPT: z.string().default('127.0.0.1,::1,::ffff:127.0.0.1'),
  // ---- the live path under faults (issue 11; docs/operations.md "When things fail") ----
  /** With TRUST_PROXY: the proxies whose X-Forwarded-For / -Proto are believed (IPs or CIDRs).
   *  Hops before them are taken as the client: a header a client made up is not. */
  TRUSTED_PROXIES: z
    .string()
    .default('127.0.0.1,::1')
    .refine((v) => v.split(',').every((p) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p.trim())), {
      message: 'must be a comma-separated list of IP addresses or CIDR ranges (e.g. 10.0.0.0/8)',
    }),
  /** Wrong join codes (lookups or joins) from one IP within AUTH_LOCKOUT_WINDOW_MIN that lock it out. */
  JOIN_CODE_IP_FAILURE_THRESHOLD: int(1, 1_000_000).default(30),
  /** On SIGTERM, how long to keep retrying the database before spilling to DATA_DIR/spill. */
  SHUTDOWN_DRAIN_MS: int(0, 120_000).default(5000),
  /** Rows the live path may hold in memory while the database is down; above, they are spilled. */
  PERSIST_BACKLOG_MAX_ROWS: int(100, 50_000_000).default(200_000),
  // ---- reports (features/reports): the job made when a session ends ----
  REPORT_DELAY_MS: int(0, 600_000).default(3000),
  REPORT_SWEEP_SEC: int(1, 86_400).default(60),
  REPORT_MAX_ATTEMPTS: int(1, 100).default(5),
  REPORT_RETRY_BASE_MS: int(10, 3_600_000).default(30_000),
  REPORT_MIN_SEGMENT_SEC: int(1, 3600).default(20),
});

export type Config = Readonly<
  Omit<z.infer<typeof configSchema>, 'DATA_DIR' | 'STORAGE_DIR' | 'WEB_DIST_DIR' | 'RECORDINGS_DIR'> & {
    DATA_DIR: string;
    RECORDINGS_DIR: string;
    STORAGE_DIR: string;
    WEB_DIST_DIR: string;
  }
>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` (when present) under the real environment, which wins. */
export function readEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const file of [path.join(cwd, '.env'), path.join(REPO_ROOT, '.env')]) {
    if (existsSync(file)) {
      Object.assign(merged, parseDotenv(readFileSync(file)), merged);
      break;
    }
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  return merged;
}

export function loadConfig(
  env: Record<string, string | undefined> = readEnv(),
  overrides: Partial<Record<keyof z.infer<typeof configSchema>, unknown>> = {},
): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') input[key] = v;
  }
  Object.assign(input, overrides);
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '?');
        const shown =
          key.includes('SECRET') ||
          key.includes('TOKEN') ||
          key.includes('KEY') ||
          key.includes('WEBHOOK') ||
          key.includes('PASSWORD') ||
          key === 'SMTP_URL'
            ? '(hidden)'
            : JSON.stringify(input[key]);
        return `${key}=${shown}: ${i.message}`;
      }),
    );
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.DATA_DIR);
  return Object.freeze({
    ...c,
    DATA_DIR: dataDir,
    STORAGE_DIR: path.resolve(c.STORAGE_DIR ?? path.join(dataDir, 'storage')),
    RECORDINGS_DIR: path.resolve(c.RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
    WEB_DIST_DIR: path.resolve(c.WEB_DIST_DIR ?? path.join(REPO_ROOT, 'apps/web/dist')),
  });
}
