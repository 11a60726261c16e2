import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl, type RedactOptions } from '../../platform/log-redact.js';
import type { LogStreams } from '../../platform/log-types.js';

/**
 * Replaces Fastify's per-request logging: one access line per request (onResponse), a
 * performance line for slow ones, and a security line for rate limiting.
 * Errors (5xx) reach the error stream through the app logger (the error handler logs them).
 */

const MAX_UA = 300;

function responseBytes(reply: FastifyReply): number | undefined {
  const len = reply.getHeader('content-length') ?? reply.raw.getHeader('content-length');
  const n = Number(Array.isArray(len) ? len[0] : len);
  return Number.isFinite(n) && len !== undefined ? n : undefined;
}

export function installHttpLogging(
  fastify: FastifyInstance,
  logs: LogStreams,
  settings: { slowRequestMs: number; redact?: RedactOptions },
): void {
  const redactOptions = settings.redact ?? logs.redactOptions;

  fastify.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    const ua = req.headers['user-agent'];
    logs.access.info(
      {
        reqId: String(req.id),
        method: req.method,
        route,
        url: redactUrl(req.url, redactOptions),
        status,
        durationMs,
        bytes: responseBytes(reply),
        ip: req.ip,
        userAgent: typeof ua === 'string' ? ua.slice(0, MAX_UA) : undefined,
      },
      'request',
    );
    if (durationMs >= settings.slowRequestMs) {
      logs.performance.warn(
        {
          kind: 'slow_request',
          reqId: String(req.id),
          method: req.method,
          route,
          status,
          durationMs,
          thresholdMs: settings.slowRequestMs,
        },
        'slow request',
      );
    }
    securityFromResponse(logs, req, route, status);
  });
}

/**
 * Logins, refresh-token reuse and 401/403 denials reach the security stream from the security
 * trail (features/audit calls securityLog); rate limiting is only visible here.
 */
function securityFromResponse(logs: LogStreams, req: FastifyRequest, route: string, status: number) {
  if (status === 429) logs.securityLog('rate_limited', { req, method: req.method, route, status });
}
