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
    .refine((v) => v === undefined || v === '' || v.length >= 32, { message: 'must be at least 32 characters' }),
  ACCESS_TOKEN_TTL_SEC: int(60, 24 * 3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TICK_MS: int(20, 5000).default(250),
  PRESENCE_GRACE_MS: int(0, 600_000).default(10_000),
  WEB_DIST_DIR: z.string().optional(),
  STORAGE_DIR: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
  ARCHIVE_RETENTION_DAYS: int(1, 3650).default(30),
  RATE_LIMIT_AUTH_PER_MIN: int(1, 1_000_000).default(30),
  RATE_LIMIT_JOIN_PER_MIN: int(1, 1_000_000).default(60),
});

export type Config = Readonly<
  Omit<z.infer<typeof configSchema>, 'DATA_DIR' | 'STORAGE_DIR' | 'WEB_DIST_DIR'> & {
    DATA_DIR: string;
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
        const shown = key.includes('SECRET') || key.includes('TOKEN') ? '(hidden)' : JSON.stringify(input[key]);
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
    WEB_DIST_DIR: path.resolve(c.WEB_DIST_DIR ?? path.join(REPO_ROOT, 'apps/web/dist')),
  });
}
