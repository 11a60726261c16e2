import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { createLockout } from '../features/auth/lockout.js';

/** Routes where a wrong join code is a guess: failures count toward the per-IP lock-out. */
const CODE_ROUTES = new Set(['GET /api/sessions/code/:code', 'POST /api/sessions/join']);
const TOKEN_KEYS = /"(accessToken|refreshToken|participantToken)"\s*:/;

/**
 * Limits on guessing join codes, and no caching of tokens:
 * - each wrong code (404) from an IP counts; `JOIN_CODE_IP_FAILURE_THRESHOLD` of them within
 *   `AUTH_LOCKOUT_WINDOW_MIN` lock that IP out of both routes for `AUTH_LOCKOUT_MIN` (429);
 *   shared through Redis when there is one, like the sign-in lock-out;
 * - any response carrying a token gets `Cache-Control: no-store` (no proxy or browser keeps it).
 */
export function installLiveLimits(app: FastifyInstance, deps: { config: Config; redis?: Redis }): void {
  const { config } = deps;
  const lockout = createLockout(
    {
      accountThreshold: Number.MAX_SAFE_INTEGER,
      ipThreshold: config.JOIN_CODE_IP_FAILURE_THRESHOLD,
      windowMs: config.AUTH_LOCKOUT_WINDOW_MIN * 60_000,
      lockMs: config.AUTH_LOCKOUT_MIN * 60_000,
    },
    { redis: deps.redis, prefix: 'rstream:codes:' },
  );
  const guarded = (req: FastifyRequest) => CODE_ROUTES.has(`${req.method} ${req.routeOptions.url}`);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!guarded(req)) return;
    const left = await lockout.ipLockedFor(req.ip).catch(() => 0);
    if (left > 0) {
      const sec = Math.ceil(left / 1000);
      return reply
        .code(429)
        .header('retry-after', String(sec))
        .send({
          error: {
            code: 'RATE_LIMITED',
            message: `Too many wrong join codes from your address; try again in ${sec} s.`,
            requestId: String(req.id),
          },
        });
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode === 404 && guarded(req))
      await lockout.failure(`ip:${req.ip}`, req.ip).catch(() => {});
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (typeof payload === 'string' && TOKEN_KEYS.test(payload)) reply.header('cache-control', 'no-store');
    return payload;
  });
}
