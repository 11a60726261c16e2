import path from 'node:path';
import type { Config } from '../config.js';

/** Where the live path spills what it cannot write, and how much it may hold in memory. */
export function livePersistence(config: Pick<Config, 'DATA_DIR' | 'PERSIST_BACKLOG_MAX_ROWS'>) {
  return { maxBacklogRows: config.PERSIST_BACKLOG_MAX_ROWS, spillDir: path.join(config.DATA_DIR, 'spill') };
}

/** The proxies to believe (Fastify's trustProxy): none without TRUST_PROXY, else TRUSTED_PROXIES only. */
export function trustedProxies(config: Pick<Config, 'TRUST_PROXY' | 'TRUSTED_PROXIES'>): string[] {
  if (!config.TRUST_PROXY) return [];
  return config.TRUSTED_PROXIES.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export function trustProxySetting(config: Pick<Config, 'TRUST_PROXY' | 'TRUSTED_PROXIES'>): string[] | false {
  const list = trustedProxies(config);
  return list.length > 0 ? list : false;
}
