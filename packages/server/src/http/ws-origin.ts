import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';
import { corsOrigins } from './security-headers.js';

/**
 * Cross-site WebSocket hijacking guard: a browser always sends `Origin` on a WebSocket upgrade;
 * it must be this instance's own origin (the Host it was asked for, or PUBLIC_URL) or one of
 * CORS_ORIGINS. Clients without Origin (not browsers) carry their token explicitly and pass.
 */
export function wsOriginAllowed(
  config: Pick<Config, 'PUBLIC_URL' | 'CORS_ORIGINS'>,
  req: Pick<IncomingMessage, 'headers'>,
): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const allowed = corsOrigins(config);
  if (allowed.includes('*')) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (req.headers.host && parsed.host === req.headers.host) return true;
  if (config.PUBLIC_URL && new URL(config.PUBLIC_URL).origin === parsed.origin) return true;
  return allowed.includes(parsed.origin);
}
