import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { registerAdminRoutes } from '../features/admin/admin-routes.js';
import { createAdminService } from '../features/admin/admin-service.js';
import { createAuditRepo } from '../features/audit/audit-repo.js';
import { createAuditService, startAuditRetention } from '../features/audit/audit-service.js';
import type { AccessTokens } from '../features/auth/access-token.js';
import { createAuthRepo } from '../features/auth/auth-repo.js';
import { registerAuthRoutes } from '../features/auth/auth-routes.js';
import { createAuthService } from '../features/auth/auth-service.js';
import { createLockout } from '../features/auth/lockout.js';
import { createInvitationsRepo } from '../features/invitations/invitations-repo.js';
import { registerInvitationRoutes } from '../features/invitations/invitations-routes.js';
import { createInvitationsService } from '../features/invitations/invitations-service.js';
import { createMailer } from '../features/invitations/mailer.js';
import type { SessionsService } from '../features/sessions/sessions-service.js';
import type { Bus } from '../platform/bus.js';
import type { Db } from '../platform/db.js';
import type { WsAccessEvent } from '../platform/logger.js';
import { createConnectionLimit } from '../realtime/connection-limit.js';
import { recordDenials, type Guards } from './caller.js';
import { registerSecurityHeaders } from './security-headers.js';

type Limit = { max: number; timeWindow: string };
/** WebSocket refusals that are security events: bad token, not allowed, too many connections. */
const WS_DENIALS = new Set([4401, 4403, 4429]);

/**
 * Accounts, roles, invitations and the security trail, wired once (docs/security.md):
 * `createSecurity` before the routes of others (they need `auth` for the guards),
 * `installSecurity` where the routes are registered.
 */
export function createSecurity(deps: {
  config: Config;
  db: Db;
  bus: Bus;
  log: Logger;
  tokens: AccessTokens;
}) {
  const { config, db, bus, log, tokens } = deps;
  const audit = createAuditService(createAuditRepo(db.kysely), log);
  const lockout = createLockout(
    {
      accountThreshold: config.AUTH_LOCKOUT_THRESHOLD,
      ipThreshold: config.AUTH_IP_FAILURE_THRESHOLD,
      windowMs: config.AUTH_LOCKOUT_WINDOW_MIN * 60_000,
      lockMs: config.AUTH_LOCKOUT_MIN * 60_000,
    },
    { redis: bus.redis },
  );
  const auth = createAuthService({
    repo: createAuthRepo(db.kysely),
    tokens,
    refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    log,
    audit,
    lockout,
  });
  const mailer = createMailer(config);
  const exempt =
    config.WS_CONNECTION_LIMIT_EXEMPT.trim() === 'none' ? [] : config.WS_CONNECTION_LIMIT_EXEMPT.split(',');
  const connections = createConnectionLimit(config.WS_MAX_CONNECTIONS_PER_IP, exempt);
  const invitationsRepo = createInvitationsRepo(db.kysely);
  return { audit, lockout, auth, mailer, connections, invitationsRepo };
}
export type Security = ReturnType<typeof createSecurity>;

/** Headers (helmet, HSTS, CORS) and the denial trail: call before any route is registered. */
export async function installSecurityHooks(
  app: FastifyInstance,
  security: Security,
  config: Config,
): Promise<void> {
  await registerSecurityHeaders(app, config);
  recordDenials(app, security.audit);
}

/** The auth, admin and invitation routes, and the trail's retention. Returns what the gateway needs and a close. */
export function installSecurity(
  app: FastifyInstance,
  deps: {
    security: Security;
    guards: Guards;
    sessions: SessionsService;
    config: Config;
    log: Logger;
    authRateLimit: Limit;
    joinRateLimit: Limit;
  },
) {
  const { security, guards, sessions, config } = deps;
  registerAuthRoutes(app, {
    auth: security.auth,
    guards,
    authRateLimit: deps.authRateLimit,
    removeSessionsOf: (userId) => sessions.removeAllOfHost(userId),
  });
  const admin = createAdminService({
    auth: security.auth,
    audit: security.audit,
    onUserChanged: (id) => guards.forgetUser(id),
  });
  registerAdminRoutes(app, { admin, audit: security.audit, guards });
  const invitations = createInvitationsService({
    repo: security.invitationsRepo,
    sessions,
    audit: security.audit,
    mailer: security.mailer,
  });
  registerInvitationRoutes(app, { invitations, guards, config, rateLimit: deps.joinRateLimit });
  const stopRetention = startAuditRetention(security.audit, config.LOG_RETENTION_SECURITY_DAYS, deps.log);
  return {
    admin,
    invitations,
    /**
     * For the WebSocket gateway: admit/release (connections per IP), account checks, and the
     * access log wrapped so refused connections (4401/4403/4429) also enter the security trail.
     */
    gatewayHooks: (accessLog?: (e: WsAccessEvent) => void) => ({
      admit: (ip: string) => security.connections.admit(ip),
      release: (ip: string) => security.connections.release(ip),
      userAllowed: guards.userAllowed,
      accessLog: (e: WsAccessEvent) => {
        accessLog?.(e);
        if (e.event === 'reject' && e.code !== undefined && WS_DENIALS.has(e.code)) {
          security.audit.recordLater({
            type: 'ws_denied',
            outcome: 'denied',
            sessionId: e.sessionId ?? null,
            ip: e.ip ?? null,
            userAgent: e.userAgent ?? null,
            requestId: e.connId ?? null,
            details: { code: e.code, reason: e.reason },
          });
        }
      },
    }),
    async close() {
      stopRetention();
      await security.audit.flush();
      security.mailer.close();
    },
  };
}
