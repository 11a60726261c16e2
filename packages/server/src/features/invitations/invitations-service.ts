import { randomUUID } from 'node:crypto';
import {
  INVITATION_DEFAULT_HOURS,
  type AcceptInvitationResponse,
  type CreateInvitationBody,
  type CreateInvitationResponse,
  type Invitation,
  type InvitationPreview,
  type InvitationStatus,
} from '@rstream/protocol';
import { AppError, conflict } from '../../errors.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { AuditContext, AuditService } from '../audit/audit-service.js';
import type { SessionRow } from '../sessions/sessions-repo.js';
import type { SessionsService } from '../sessions/sessions-service.js';
import type { InvitationRow, InvitationsRepo } from './invitations-repo.js';
import type { Mailer } from './mailer.js';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function statusOf(row: InvitationRow, now = Date.now()): InvitationStatus {
  if (row.revoked_at) return 'revoked';
  if (row.accepted_at) return 'accepted';
  return new Date(row.expires_at).getTime() <= now ? 'expired' : 'pending';
}

export const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  sessionId: row.session_id,
  role: row.role,
  email: row.email,
  status: statusOf(row),
  createdAt: iso(row.created_at)!,
  expiresAt: iso(row.expires_at)!,
  acceptedAt: iso(row.accepted_at),
  revokedAt: iso(row.revoked_at),
  participantId: row.participant_id,
});

const notFound = () => new AppError(404, 'INVITATION_NOT_FOUND', 'This invitation link is not valid.');
const gone: Record<Exclude<InvitationStatus, 'pending'>, () => AppError> = {
  expired: () =>
    new AppError(410, 'INVITATION_EXPIRED', 'This invitation has expired; ask the host for a new link.'),
  accepted: () =>
    new AppError(
      410,
      'INVITATION_USED',
      'This invitation has already been used; ask the host for a new link.',
    ),
  revoked: () => new AppError(410, 'INVITATION_REVOKED', 'The host withdrew this invitation.'),
};
/** Invitation tokens: `i_` + 256 random bits (URL-safe); only their SHA-256 is stored. */
const TOKEN_RE = /^i_[A-Za-z0-9_-]{43}$/;

export interface InvitationsDeps {
  repo: InvitationsRepo;
  sessions: SessionsService;
  audit: AuditService;
  mailer: Mailer;
}

/**
 * "Ask someone else to present / facilitate": the host makes a single-use, expiring link;
 * whoever opens it first and accepts becomes the session's presenter (a participant with role
 * `presenter`: the speaker's view, may start/end the session and answer questions).
 */
export function createInvitationsService({ repo, sessions, audit, mailer }: InvitationsDeps) {
  async function load(token: string): Promise<InvitationRow> {
    if (!TOKEN_RE.test(token)) throw notFound();
    const row = await repo.findByTokenHash(sha256(token));
    if (!row) throw notFound();
    return row;
  }

  return {
    async create(
      session: SessionRow,
      hostId: string,
      body: CreateInvitationBody,
      baseUrl: string,
      ctx: AuditContext = {},
    ): Promise<CreateInvitationResponse> {
      if (session.status === 'ended') throw conflict('SESSION_ENDED', 'This session has ended.');
      const token = randomToken('i');
      const hours = body.expiresInHours ?? INVITATION_DEFAULT_HOURS;
      const row = await repo.insert({
        id: randomUUID(),
        session_id: session.id,
        token_hash: sha256(token),
        role: body.role,
        email: body.email ?? null,
        created_by: hostId,
        expires_at: new Date(Date.now() + hours * 3_600_000),
      });
      const url = `${baseUrl}/invite/${token}`;
      let delivery: CreateInvitationResponse['delivery'] = { method: 'none', status: 'skipped' };
      if (body.email) {
        const what = body.role === 'presenter' ? 'present' : 'facilitate';
        delivery = await mailer.send({
          to: body.email,
          subject: `R-Stream: ${session.host_name} invites you to ${what} ${session.title}`,
          text: [
            `${session.host_name} asks you to ${what} the session "${session.title}" on R-Stream.`,
            '',
            `Open this link to accept (it works once and expires ${new Date(row.expires_at).toUTCString()}):`,
            url,
            '',
            'If you did not expect this, ignore this message.',
          ].join('\n'),
        });
      }
      await audit.record({
        ...ctx,
        type: 'invitation_created',
        actorUserId: hostId,
        sessionId: session.id,
        targetType: 'invitation',
        targetId: row.id,
        details: {
          role: body.role,
          email: body.email ?? null,
          expiresInHours: hours,
          delivery: delivery.method,
          deliveryStatus: delivery.status,
        },
      });
      return { invitation: toInvitation(row), url, delivery };
    },

    async list(sessionId: string): Promise<Invitation[]> {
      return (await repo.listOfSession(sessionId)).map(toInvitation);
    },

    async revoke(
      sessionId: string,
      invitationId: string,
      actorUserId: string,
      ctx: AuditContext = {},
    ): Promise<void> {
      const row = await repo.revoke(sessionId, invitationId);
      if (!row) {
        const existing = await repo.findInSession(sessionId, invitationId);
        if (!existing) throw new AppError(404, 'INVITATION_NOT_FOUND', 'No such invitation in this session.');
        const status = statusOf(existing);
        if (status === 'accepted')
          throw conflict('INVALID_STATUS_CHANGE', 'This invitation was already accepted.');
        return; // already revoked: nothing to do
      }
      await audit.record({
        ...ctx,
        type: 'invitation_revoked',
        actorUserId,
        sessionId,
        targetType: 'invitation',
        targetId: invitationId,
      });
    },

    /** What the link is, for the page that asks for a name; 410 once it cannot be used. */
    async preview(token: string): Promise<InvitationPreview> {
      const row = await load(token);
      const status = statusOf(row);
      if (status !== 'pending') throw gone[status]();
      const session = await sessions.findSession(row.session_id);
      if (!session) throw notFound();
      return {
        invitation: {
          role: row.role,
          status,
          expiresAt: iso(row.expires_at)!,
          session: {
            id: session.id,
            title: session.title,
            hostName: session.host_name,
            mode: session.mode,
            status: session.status,
          },
        },
      };
    },

    /** Single use: the first accept wins, every later one gets 410 INVITATION_USED. */
    async accept(
      token: string,
      displayName: string,
      ctx: AuditContext = {},
    ): Promise<AcceptInvitationResponse> {
      const row = await load(token);
      const session = await sessions.findSession(row.session_id);
      if (!session) throw notFound();
      const refuse = async (e: AppError) => {
        await audit.record({
          ...ctx,
          type: 'invitation_accept_refused',
          outcome: 'denied',
          sessionId: row.session_id,
          targetType: 'invitation',
          targetId: row.id,
          details: { code: e.code },
        });
        return e;
      };
      const status = statusOf(row);
      if (status !== 'pending') throw await refuse(gone[status]());
      if (session.status === 'ended')
        throw await refuse(conflict('SESSION_ENDED', 'This session has ended.'));
      const claimed = await repo.claim(row.id);
      if (!claimed) {
        const now = await repo.findByTokenHash(row.token_hash);
        const s = now ? statusOf(now) : 'revoked';
        throw await refuse(gone[s === 'pending' ? 'accepted' : s]());
      }
      let joined;
      try {
        joined = await sessions.addPresenter(session.id, displayName);
      } catch (e) {
        await repo.unclaim(row.id);
        throw e;
      }
      await repo.setParticipant(row.id, joined.participantId);
      await audit.record({
        ...ctx,
        type: 'invitation_accepted',
        actorParticipantId: joined.participantId,
        actorLabel: displayName,
        sessionId: session.id,
        targetType: 'invitation',
        targetId: row.id,
        details: { role: row.role },
      });
      return { ...joined, role: 'presenter', invitationRole: row.role };
    },
  };
}
export type InvitationsService = ReturnType<typeof createInvitationsService>;
