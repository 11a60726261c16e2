import type { AdminUpdateUserBody, AdminUser } from '@rstream/protocol';
import { conflict, notFound } from '../../errors.js';
import type { AuditContext, AuditService } from '../audit/audit-service.js';
import type { UserRow } from '../auth/auth-repo.js';
import { toUser, type AuthService } from '../auth/auth-service.js';

export const toAdminUser = (row: UserRow & { session_count?: number }): AdminUser => ({
  ...toUser(row),
  disabled: row.disabled_at !== null,
  disabledAt: row.disabled_at ? new Date(row.disabled_at).toISOString() : null,
  sessionCount: row.session_count ?? 0,
});

/** Instance administration: users (role, disabled) and the security trail. */
export function createAdminService(deps: {
  auth: AuthService;
  audit: AuditService;
  onUserChanged?: (userId: string) => void;
}) {
  const { auth, audit } = deps;
  return {
    async listUsers(): Promise<AdminUser[]> {
      return (await auth.listUsers()).map(toAdminUser);
    },

    /**
     * Changes a user's role and/or disabled state. The instance never loses its last active
     * admin: demoting or disabling them is refused (409 LAST_ADMIN), whoever asks.
     */
    async updateUser(
      by: { userId: string | null; label?: string },
      userId: string,
      body: AdminUpdateUserBody,
      ctx: AuditContext = {},
    ): Promise<AdminUser> {
      const actor = {
        userId: by.userId,
        label: by.label ?? (by.userId ? (await auth.getUserRow(by.userId))?.email : undefined) ?? null,
      };
      const row = await auth.getUserRow(userId);
      if (!row) throw notFound('No such user.');
      const losesAdmin =
        row.role === 'admin' && !row.disabled_at && (body.role === 'speaker' || body.disabled === true);
      if (losesAdmin && (await auth.countActiveAdmins()) <= 1) {
        await audit.record({
          ...ctx,
          type: 'admin_user_update',
          outcome: 'denied',
          actorUserId: actor.userId,
          actorLabel: actor.label,
          targetType: 'user',
          targetId: userId,
          details: { ...body, reason: 'last_admin' },
        });
        throw conflict('LAST_ADMIN', 'This is the last active administrator: make someone else admin first.');
      }
      const updated = await auth.setUserState(userId, body);
      if (!updated) throw notFound('No such user.');
      deps.onUserChanged?.(userId);
      const changes: Record<string, unknown> = {};
      if (body.role !== undefined && body.role !== row.role) changes.role = { from: row.role, to: body.role };
      if (body.disabled !== undefined && body.disabled !== (row.disabled_at !== null))
        changes.disabled = body.disabled;
      const type = changes.role
        ? 'role_changed'
        : body.disabled === true
          ? 'user_disabled'
          : body.disabled === false
            ? 'user_enabled'
            : 'admin_user_update';
      await audit.record({
        ...ctx,
        type,
        actorUserId: actor.userId,
        actorLabel: actor.label,
        targetType: 'user',
        targetId: userId,
        details: { email: row.email, ...changes },
      });
      if (changes.role && body.disabled !== undefined && changes.disabled !== undefined) {
        await audit.record({
          ...ctx,
          type: body.disabled ? 'user_disabled' : 'user_enabled',
          actorUserId: actor.userId,
          actorLabel: actor.label,
          targetType: 'user',
          targetId: userId,
          details: { email: row.email },
        });
      }
      const listed = (await auth.listUsers()).find((u) => u.id === userId);
      return toAdminUser(listed ?? updated);
    },
  };
}
export type AdminService = ReturnType<typeof createAdminService>;
