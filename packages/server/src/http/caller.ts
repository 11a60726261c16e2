import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { forbidden, sessionNotFound, unauthenticated } from '../errors.js';
import type { AccessClaims, AccessTokens } from '../features/auth/access-token.js';
import { looksLikeJwt } from '../features/auth/access-token.js';
import type { ParticipantRow, SessionRow } from '../features/sessions/sessions-repo.js';
import type { SessionsService } from '../features/sessions/sessions-service.js';

export type SessionCaller =
  | { kind: 'host'; claims: AccessClaims; session: SessionRow }
  | { kind: 'participant'; participant: ParticipantRow; session: SessionRow };

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
}

/** Who is calling: every route states which of these it accepts. */
export function createGuards(deps: { tokens: AccessTokens; sessions: SessionsService }) {
  async function requireUser(req: FastifyRequest): Promise<AccessClaims> {
    const token = bearerToken(req);
    if (!token || !looksLikeJwt(token)) throw unauthenticated();
    const claims = await deps.tokens.verify(token);
    if (!claims) throw unauthenticated('Your sign-in has expired; sign in again.');
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
      return { kind: 'host', claims, session };
    }
    const participant = await deps.sessions.findParticipantByToken(token);
    if (!participant) throw unauthenticated('Unknown participant token; join the session again.');
    const session = await deps.sessions.findSession(sessionId);
    if (!session) throw sessionNotFound();
    if (participant.session_id !== session.id) throw forbidden('This token belongs to another session.');
    return { kind: 'participant', participant, session };
  }

  async function requireParticipant(req: FastifyRequest, sessionId: string) {
    const caller = await requireSessionCaller(req, sessionId);
    if (caller.kind !== 'participant') throw forbidden('Only participants can do this.');
    return caller;
  }

  return { requireUser, requireSessionCaller, requireParticipant };
}
export type Guards = ReturnType<typeof createGuards>;

/** The address clients should use for links: PUBLIC_URL, or what the browser called us by. */
export function baseUrlOf(req: FastifyRequest, config: Pick<Config, 'PUBLIC_URL'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  return `${req.protocol}://${req.host}`;
}
