import { loginBodySchema, registerBodySchema } from '@rstream/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { unauthenticated } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import { parse } from '../../http/validate.js';
import type { AuthService } from './auth-service.js';

export const REFRESH_COOKIE = 'rs_refresh';
const COOKIE_PATH = '/api/auth';

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: { auth: AuthService; guards: Guards; authRateLimit: { max: number; timeWindow: string } },
) {
  const { auth, guards } = deps;
  const rateLimit = { config: { rateLimit: deps.authRateLimit } };

  const setRefreshCookie = (req: FastifyRequest, reply: FastifyReply, token: string, expires: Date) =>
    reply.setCookie(REFRESH_COOKIE, token, {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: req.protocol === 'https',
      expires,
    });

  app.post('/api/auth/register', rateLimit, async (req, reply) => {
    const user = await auth.register(parse(registerBodySchema, req.body));
    return reply.code(201).send({ user });
  });

  app.post('/api/auth/login', rateLimit, async (req, reply) => {
    const { accessToken, user, refresh } = await auth.login(parse(loginBodySchema, req.body));
    setRefreshCookie(req, reply, refresh.token, refresh.expiresAt);
    return { accessToken, user };
  });

  app.post('/api/auth/refresh', rateLimit, async (req, reply) => {
    try {
      const { accessToken, refresh } = await auth.refresh(req.cookies[REFRESH_COOKIE]);
      setRefreshCookie(req, reply, refresh.token, refresh.expiresAt);
      return { accessToken };
    } catch (e) {
      reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      throw e;
    }
  });

  app.post('/api/auth/logout', async (req, reply) => {
    await auth.logout(req.cookies[REFRESH_COOKIE]);
    reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
    return reply.code(204).send();
  });

  app.get('/api/auth/me', async (req) => {
    const claims = await guards.requireUser(req);
    const user = await auth.getUser(claims.userId);
    if (!user) throw unauthenticated();
    return { user };
  });
}
