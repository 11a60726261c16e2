import { z } from 'zod';
import { USER_ROLES, userSchema } from './auth.js';

/** A user as the admin sees it. */
export const adminUserSchema = userSchema.extend({
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  sessionCount: z.number().int(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;
export const adminUserListSchema = z.object({ users: z.array(adminUserSchema) });

export const adminUpdateUserBodySchema = z
  .object({ role: z.enum(USER_ROLES).optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined, { message: 'nothing to change' });
export type AdminUpdateUserBody = z.infer<typeof adminUpdateUserBodySchema>;

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One row of the security trail (append-only). */
export const auditEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  type: z.string(),
  outcome: z.enum(AUDIT_OUTCOMES),
  actorUserId: z.string().nullable(),
  actorParticipantId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  sessionId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO-8601 date');

/** GET /api/admin/audit query: newest first; `cursor` is the `nextCursor` of the previous page. */
export const auditQuerySchema = z
  .object({
    type: z.string().trim().min(1).max(64).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** a user id or e-mail */
    actor: z.string().trim().min(1).max(254).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,19}$/, 'a cursor from a previous page')
      .optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;
export const auditListSchema = z.object({
  events: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
});
export type AuditList = z.infer<typeof auditListSchema>;
