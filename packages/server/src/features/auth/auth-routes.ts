import {
  changePasswordBodySchema,
  deleteAccountBodySchema,
  loginBodySchema,
  loginResponseSchema,
  refreshResponseSchema,
  registerBodySchema,
  userSchema,
} from '@rstream/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, unauthenticated } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import type { FeatureApp } from '../../http/feature.js';
import { auditContext } from '../audit/audit-service.js';
import type { AuthService } from './auth-service.js';

export const REFRESH_COOKIE = 'rs_refresh';
const COOKIE_PATH = '/api/auth';

export interface AuthRouteDeps {
  auth: AuthService;
  guards: Guards;
  authRateLimit: { max: number; timeWindow: string };
  /** Deletes every session of a user through the sessions service; returns how many. */
  removeSessionsOf: (userId: string) => Promise<number>;
}

const tags = ['auth'];
const userResponseSchema = z.object({ user: userSchema });
const noContent = { 204: z.null().describe('No content') };

export function registerAuthRoutes(app: FeatureApp, deps: AuthRouteDeps) {
  const { auth, guards } = deps;
  // Per IP (the plugin) — failed attempts per account and per IP lock out in the service.
  const limited = {
    config: { rateLimit: deps.authRateLimit },
    // Tell clients how long a lock-out lasts.
    onError: async (_req: FastifyRequest, reply: FastifyReply, err: Error) => {
      const retry =
        err instanceof AppError
          ? (err.details as { retryAfterSec?: number } | undefined)?.retryAfterSec
          : undefined;
      if (retry) reply.header('retry-after', String(retry));
    },
  };

  // httpOnly (no script reads it), SameSite=Strict (never sent cross-site), Secure over https,
  // and only sent to /api/auth.
  const setRefreshCookie = (req: FastifyRequest, reply: FastifyReply, token: string, expires: Date) =>
    reply.setCookie(REFRESH_COOKIE, token, {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: req.protocol === 'https',
      expires,
    });
  const clearRefreshCookie = (req: FastifyRequest, reply: FastifyReply) =>
    reply.clearCookie(REFRESH_COOKIE, {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: req.protocol === 'https',
    });

  app.post(
    '/api/auth/register',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Create a speaker account',
        body: registerBodySchema,
        response: { 201: userResponseSchema },
      },
    },
    async (req, reply) => {
      const user = await auth.register(req.body, 'speaker', auditContext(req));
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/api/auth/login',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Sign in: an access token, and the refresh cookie',
        body: loginBodySchema,
        response: { 200: loginResponseSchema },
      },
    },
    async (req, reply) => {
      const { accessToken, user, refresh } = await auth.login(req.body, auditContext(req));
      setRefreshCookie(req, reply, refresh.token, refresh.expiresAt);
      return { accessToken, user };
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      ...limited,
      schema: {
        tags,
        summary: 'A new access token for the refresh cookie (rotated)',
        response: { 200: refreshResponseSchema },
      },
    },
    async (req, reply) => {
      try {
        const { accessToken, refresh } = await auth.refresh(req.cookies[REFRESH_COOKIE], auditContext(req));
        setRefreshCookie(req, reply, refresh.token, refresh.expiresAt);
        return { accessToken };
      } catch (e) {
        clearRefreshCookie(req, reply);
        throw e;
      }
    },
  );

  app.post(
    '/api/auth/logout',
    { ...limited, schema: { tags, summary: 'Sign out: the refresh token is revoked', response: noContent } },
    async (req, reply) => {
      await auth.logout(req.cookies[REFRESH_COOKIE], auditContext(req));
      clearRefreshCookie(req, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags, summary: 'The signed-in account', response: { 200: userResponseSchema } } },
    async (req) => {
      const claims = await guards.requireUser(req);
      const user = await auth.getUser(claims.userId);
      if (!user) throw unauthenticated();
      return { user };
    },
  );

  /** Change my password: other sign-ins end; this one continues with a new access token. */
  app.post(
    '/api/auth/password',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Change one’s password; other sign-ins end',
        body: changePasswordBodySchema,
        response: { 200: refreshResponseSchema },
      },
    },
    async (req) => {
      const claims = await guards.requireUser(req);
      const body = req.body;
      const keep = await auth.familyOf(req.cookies[REFRESH_COOKIE], claims.userId);
      const result = await auth.changePassword(claims.userId, body, keep, auditContext(req));
      guards.forgetUser(claims.userId);
      return result;
    },
  );

  /** Delete my account: my sessions and all their data go with it. */
  app.delete(
    '/api/auth/me',
    {
      ...limited,
      schema: {
        tags,
        summary: 'Delete one’s account and all its sessions',
        body: deleteAccountBodySchema,
        response: noContent,
      },
    },
    async (req, reply) => {
      const claims = await guards.requireUser(req);
      const { password } = req.body;
      await auth.deleteAccount(claims.userId, password, deps.removeSessionsOf, auditContext(req));
      guards.forgetUser(claims.userId);
      clearRefreshCookie(req, reply);
      return reply.code(204).send(null);
    },
  );
}
