import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError, forbidden, sessionNotFound, unauthenticated } from '../errors.js';
import type { AccessClaims, AccessTokens } from '../features/auth/access-token.js';
import { looksLikeJwt } from '../features/auth/access-token.js';
import type { UserRow } from '../features/auth/auth-repo.js';
import { auditContext, type AuditService } from '../features/audit/audit-service.js';
import type { ParticipantRow, SessionRow } from '../features/sessions/sessions-repo.js';
import type { SessionsService } from '../features/sessions/sessions-service.js';

/**
 * Who is calling. Instance roles: admin, speaker (JWT). Per-session roles: host (the session's
 * owner, JWT), presenter (an invited participant token), listener (a participant token).
 * `speaker` is true for the host and presenters: they get the speaker's view of the session.
 */
export type SessionCaller =
  | { kind: 'host'; speaker: true; claims: AccessClaims; session: SessionRow }
  | { kind: 'participant'; speaker: boolean; participant: ParticipantRow; session: SessionRow };

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
}

/** How long a user row (disabled? role? tokens_not_before?) is trusted before it is read again. */
export const USER_CACHE_MS = 5_000;

export interface GuardDeps {
  tokens: AccessTokens;
  sessions: SessionsService;
  users: { getUserRow(id: string): Promise<UserRow | undefined> };
}

export const accountDisabledError = () =>
  new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled; ask an administrator.');

/** Who is calling: every route states which of these it accepts. */
export function createGuards(deps: GuardDeps) {
  const userCache = new Map<string, { row: UserRow | undefined; at: number }>();

  async function userRow(id: string): Promise<UserRow | undefined> {
    const hit = userCache.get(id);
    if (hit && Date.now() - hit.at < USER_CACHE_MS) return hit.row;
    const row = await deps.users.getUserRow(id);
    if (userCache.size > 10_000) userCache.clear();
    userCache.set(id, { row, at: Date.now() });
    return row;
  }

  /**
   * The claims of a valid access token whose account still exists, is enabled, and has not
   * ended older sign-ins (password change). The role comes from the database, not the token,
   * so a demotion counts at once (within USER_CACHE_MS on other instances).
   */
  async function checkClaims(claims: AccessClaims): Promise<AccessClaims> {
    const row = await userRow(claims.userId);
    if (!row) throw unauthenticated('This account no longer exists.');
    if (row.disabled_at) throw accountDisabledError();
    if (
      row.tokens_not_before &&
      (claims.iat ?? 0) < Math.floor(new Date(row.tokens_not_before).getTime() / 1000)
    ) {
      throw unauthenticated('Your sign-in has ended; sign in again.');
    }
    return { ...claims, role: row.role };
  }

  async function requireUser(req: FastifyRequest): Promise<AccessClaims> {
    const token = bearerToken(req);
    if (!token || !looksLikeJwt(token)) throw unauthenticated();
    const claims = await deps.tokens.verify(token);
    if (!claims) throw unauthenticated('Your sign-in has expired; sign in again.');
    return checkClaims(claims);
  }

  async function requireAdmin(req: FastifyRequest): Promise<AccessClaims> {
    const claims = await requireUser(req);
    if (claims.role !== 'admin') throw forbidden('Only administrators can do this.');
    return claims;
  }

  /** A session's host (access token) or one of its participants (participant token). */
  async function requireSessionCaller(req: FastifyRequest, sessionId: string): Promise<SessionCaller> {
    const token = bearerToken(req);
    if (!token) throw unauthenticated();
    if (looksLikeJwt(token)) {
      const claims = await requireUser(req);
      const session = await deps.sessions.findSession(sessionId);
      if (!session) throw sessionNotFound();
      if (session.host_id !== claims.userId) throw forbidden('Only the session’s host can do this.');
      return { kind: 'host', speaker: true, claims, session };
    }
    const participant = await deps.sessions.findParticipantByToken(token);
    if (!participant) throw unauthenticated('Unknown participant token; join the session again.');
    const session = await deps.sessions.findSession(sessionId);
    if (!session) throw sessionNotFound();
    if (participant.session_id !== session.id) throw forbidden('This token belongs to another session.');
    return { kind: 'participant', speaker: participant.role === 'presenter', participant, session };
  }

  async function requireParticipant(req: FastifyRequest, sessionId: string) {
    const caller = await requireSessionCaller(req, sessionId);
    if (caller.kind !== 'participant') throw forbidden('Only participants can do this.');
    return caller;
  }

  /** The host or an invited presenter (the people on stage). */
  async function requireSpeaker(req: FastifyRequest, sessionId: string): Promise<SessionCaller> {
    const caller = await requireSessionCaller(req, sessionId);
    if (!caller.speaker) throw forbidden('Only the host or the presenter can do this.');
    return caller;
  }

  /** The session's host only (settings, invitations, deletion). */
  async function requireHost(req: FastifyRequest, sessionId: string) {
    const caller = await requireSessionCaller(req, sessionId);
    if (caller.kind !== 'host') throw forbidden('Only the session’s host can do this.');
    return caller;
  }

  return {
    requireUser,
    requireAdmin,
    requireSessionCaller,
    requireParticipant,
    requireSpeaker,
    requireHost,
    /** For the WebSocket gateway: the same account checks as requireUser; false = refuse. */
    async userAllowed(claims: AccessClaims): Promise<boolean> {
      try {
        await checkClaims(claims);
        return true;
      } catch (e) {
        if (e instanceof AppError) return false;
        throw e;
      }
    },
    /** Forget a cached user row after changing it (role, disabled, password, deletion). */
    forgetUser(userId: string) {
      userCache.delete(userId);
    },
  };
}
export type Guards = ReturnType<typeof createGuards>;

/** Routes whose 401s are recorded as their own events (login_failed, refresh reuse) or are routine. */
const DENIAL_SKIP = new Set(['/api/auth/login', '/api/auth/refresh', '/api/auth/logout']);

/**
 * Every 401/403 answer becomes a `permission_denied` event in the security trail (after the
 * response is sent: a denial never waits for the trail).
 */
export function recordDenials(app: FastifyInstance, audit: AuditService): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const status = reply.statusCode;
    if (status !== 401 && status !== 403) return payload;
    const route = req.routeOptions.url ?? req.url.split('?')[0]!;
    if (DENIAL_SKIP.has(route)) return payload;
    const code = typeof payload === 'string' ? /"code":"([A-Z_]+)"/.exec(payload)?.[1] : undefined;
    const params = (req.params ?? {}) as Record<string, string>;
    audit.recordLater({
      ...auditContext(req),
      type: 'permission_denied',
      outcome: 'denied',
      sessionId: route.startsWith('/api/sessions/:id') ? params.id : null,
      details: { status, code, method: req.method, route },
    });
    return payload;
  });
}

/** The address clients should use for links: PUBLIC_URL, or what the browser called us by. */
export function baseUrlOf(req: FastifyRequest, config: Pick<Config, 'PUBLIC_URL'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  return `${req.protocol}://${req.host}`;
}
