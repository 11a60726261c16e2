import { createGuards, type Guards } from '../../http/caller.js';
import { defineFeature } from '../../http/feature.js';
import { loadOrCreateSecret } from '../../platform/crypto.js';
import { AppError } from '../../errors.js';
import { createAccessTokens, type AccessTokens } from './access-token.js';
import { createAuthRepo } from './auth-repo.js';
import { registerAuthRoutes } from './auth-routes.js';
import { createAuthService, type AuthService } from './auth-service.js';
import { createLockout } from './lockout.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** issues and verifies access tokens (JWT) */
    tokens: AccessTokens;
    auth: AuthService;
    /** who is calling: `await app.guards.requireHost(req, sessionId)` and friends */
    guards: Guards;
  }
}

/**
 * Accounts: register, sign-in with lock-out, refresh rotation, password change, deletion; and
 * the guards every other route uses to say who may call it.
 */
export const authFeature = defineFeature(
  { name: 'auth', needs: ['db', 'bus', 'audit', 'sessions', 'ownedFiles', 'rateLimits', 'logger'] },
  async (app) => {
    const { config } = app;
    const tokens = createAccessTokens(
      loadOrCreateSecret(config.DATA_DIR, 'jwt-secret', config.JWT_SECRET),
      config.ACCESS_TOKEN_TTL_SEC,
    );
    const lockout = createLockout(
      {
        accountThreshold: config.AUTH_LOCKOUT_THRESHOLD,
        ipThreshold: config.AUTH_IP_FAILURE_THRESHOLD,
        windowMs: config.AUTH_LOCKOUT_WINDOW_MIN * 60_000,
        lockMs: config.AUTH_LOCKOUT_MIN * 60_000,
      },
      { redis: app.bus.redis },
    );
    const auth = createAuthService({
      repo: createAuthRepo(app.db.kysely),
      tokens,
      refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
      log: app.logger,
      audit: app.audit,
      lockout,
    });
    const guards = createGuards({ tokens, sessions: app.sessions, users: auth });
    app.decorate('tokens', tokens);
    app.decorate('auth', auth);
    app.decorate('guards', guards);
    registerAuthRoutes(app, {
      auth,
      guards,
      authRateLimit: app.rateLimits.auth,
      removeSessionsOf: async (userId) => {
        // fail closed, like a session: the account's own stored files (`users/<id>/`,
        // platform/owned-files.ts) first, then each session with its files; storage down refuses
        // the erasure (503) and the account stays, and a retry completes what is left
        await app.ownedFiles.deleteOwnedBy('user', userId).catch((e: unknown) => {
          throw Object.assign(
            new AppError(
              503,
              'STORAGE_UNAVAILABLE',
              'The account was not deleted: its stored files could not be removed. Try again later.',
            ),
            { cause: e },
          );
        });
        return app.sessions.removeAllOfHost(userId);
      },
    });
  },
);
