import { z } from 'zod';
import { emailSchema } from './auth.js';
import { displayNameSchema, SESSION_MODES, SESSION_STATUSES } from './sessions.js';

/** Who an invitation asks to take the stage. Both become a participant with role `presenter`. */
export const INVITATION_ROLES = ['presenter', 'facilitator'] as const;
export type InvitationRole = (typeof INVITATION_ROLES)[number];
export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const INVITATION_DEFAULT_HOURS = 72;
export const INVITATION_MAX_HOURS = 30 * 24;

export const createInvitationBodySchema = z
  .object({
    email: emailSchema.optional(),
    role: z.enum(INVITATION_ROLES),
    expiresInHours: z.number().int().min(1).max(INVITATION_MAX_HOURS).optional(),
  })
  .strict();
export type CreateInvitationBody = z.infer<typeof createInvitationBodySchema>;

export const invitationSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  role: z.enum(INVITATION_ROLES),
  email: z.string().nullable(),
  status: z.enum(INVITATION_STATUSES),
  createdAt: z.string(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  participantId: z.string().nullable(),
});
export type Invitation = z.infer<typeof invitationSchema>;

/** How the invitation mail went: SMTP, a file in DATA_DIR/outbox (no SMTP configured), or not at all. */
export const invitationDeliverySchema = z.object({
  method: z.enum(['smtp', 'outbox', 'none']),
  status: z.enum(['sent', 'written', 'failed', 'skipped']),
  file: z.string().optional(),
  error: z.string().optional(),
});
export type InvitationDelivery = z.infer<typeof invitationDeliverySchema>;

export const createInvitationResponseSchema = z.object({
  invitation: invitationSchema,
  /** The link to hand over; shown once (only a hash of its token is stored). */
  url: z.string(),
  delivery: invitationDeliverySchema,
});
export type CreateInvitationResponse = z.infer<typeof createInvitationResponseSchema>;

export const invitationListSchema = z.object({ invitations: z.array(invitationSchema) });

/** GET /api/invitations/:token — what the invited person sees before accepting. */
export const invitationPreviewSchema = z.object({
  invitation: z.object({
    role: z.enum(INVITATION_ROLES),
    status: z.enum(INVITATION_STATUSES),
    expiresAt: z.string(),
    session: z.object({
      id: z.string(),
      title: z.string(),
      hostName: z.string(),
      mode: z.enum(SESSION_MODES),
      status: z.enum(SESSION_STATUSES),
    }),
  }),
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

export const acceptInvitationBodySchema = z.object({ displayName: displayNameSchema }).strict();
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBodySchema>;

export const acceptInvitationResponseSchema = z.object({
  sessionId: z.string(),
  participantId: z.string(),
  participantToken: z.string(),
  role: z.literal('presenter'),
  invitationRole: z.enum(INVITATION_ROLES),
});
export type AcceptInvitationResponse = z.infer<typeof acceptInvitationResponseSchema>;
