import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/** The CSP of the web app: scripts from this origin only, nothing inline, no framing. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // React/uPlot set styles through the CSSOM (allowed); 'unsafe-inline' covers style attributes only.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  // 'self' covers same-origin ws:/wss: in CSP Level 3 browsers.
  connectSrc: ["'self'"],
  mediaSrc: ["'self'", 'blob:'],
  workerSrc: ["'self'", 'blob:'],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: null,
};

export const corsOrigins = (config: Pick<Config, 'CORS_ORIGINS'>): string[] =>
  config.CORS_ORIGINS.split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);

/**
 * Response headers: helmet (CSP, nosniff, frame denial, referrer policy, COOP/CORP), HSTS only
 * on requests that arrived over https through a trusted proxy (TRUST_PROXY + X-Forwarded-Proto),
 * and CORS for the CORS_ORIGINS allow-list only (none by default: same-origin only).
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  config: Pick<Config, 'TRUST_PROXY' | 'CORS_ORIGINS'>,
): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { directives: CSP_DIRECTIVES },
    hsts: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  if (config.TRUST_PROXY) {
    app.addHook('onSend', async (req, reply, payload) => {
      if (req.protocol === 'https') reply.header('strict-transport-security', HSTS_VALUE);
      return payload;
    });
  }
  const origins = corsOrigins(config);
  if (origins.length > 0) {
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    });
  }
}

/**
 * Fastify's own early refusals (undecodable URL, over-long path parameter) in the API's error
 * shape, with the security headers the hooks would have added (these answers skip the hooks).
 */
export function frameworkErrors(
  err: Error & { statusCode?: number },
  req: { id: unknown },
  reply: import('fastify').FastifyReply,
): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  reply
    .code(status)
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    .header('x-content-type-options', 'nosniff')
    .send({
      error: {
        code: 'VALIDATION_FAILED',
        message: status === 414 ? 'A path parameter is too long.' : 'The URL cannot be decoded.',
        requestId: String(req.id),
      },
    });
}
