import { randomUUID } from 'node:crypto';
import {
  passwordIsEmail,
  type ChangePasswordBody,
  type LoginBody,
  type RegisterBody,
  type User,
} from '@rstream/protocol';
import type { Logger } from 'pino';
import { badRequest, conflict } from '../../errors.js';
import type { AuditContext, AuditService } from '../audit/audit-service.js';
import type { AccessTokens } from './access-token.js';
import {
  accountDisabled,
  accountLocked,
  invalidCredentials,
  invalidRefresh,
  ipBlocked,
  wrongPassword,
} from './auth-errors.js';
import type { AuthRepo, UserRow } from './auth-repo.js';
import type { Lockout } from './lockout.js';
import { getDummyHash, hashPassword, verifyPassword } from './password.js';
import { createRefreshTokens } from './refresh-tokens.js';

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  username: row.username,
  role: row.role,
  createdAt: new Date(row.created_at).toISOString(),
});

export interface AuthServiceDeps {
  repo: AuthRepo;
  tokens: AccessTokens;
  refreshTtlDays: number;
  log: Logger;
  audit: AuditService;
  lockout: Lockout;
}

export function createAuthService({ repo, tokens, refreshTtlDays, audit, lockout }: AuthServiceDeps) {
  const refreshTokens = createRefreshTokens({ repo, tokens, refreshTtlDays, audit });

  /** Checks a password of a signed-in user; failures count toward the account's lock-out. */
  async function confirmPassword(
    row: UserRow,
    password: string,
    purpose: string,
    ctx: AuditContext,
  ): Promise<void> {
    const lockedMs = await lockout.accountLockedFor(row.email);
    if (lockedMs > 0) throw accountLocked(lockedMs);
    if (await verifyPassword(row.password_hash, password)) return;
    const f = await lockout.failure(row.email, ctx.ip ?? null);
    await audit.record({
      ...ctx,
      type: 'password_check_failed',
      outcome: 'failure',
      actorUserId: row.id,
      actorLabel: row.email,
      details: { purpose },
    });
    if (f.accountLocked) {
      await audit.record({
        ...ctx,
        type: 'account_locked',
        outcome: 'denied',
        actorUserId: row.id,
        actorLabel: row.email,
        targetType: 'user',
        targetId: row.id,
      });
      throw accountLocked(lockout.policy.lockMs);
    }
    throw wrongPassword();
  }

  return {
    async register(
      body: RegisterBody,
      role: 'admin' | 'speaker' = 'speaker',
      ctx: AuditContext = {},
    ): Promise<User> {
      if (passwordIsEmail(body.password, body.email)) {
        throw badRequest('Invalid request body: password', [
          { path: 'password', message: 'must not be your e-mail address' },
        ]);
      }
      const row = await repo.insertUser({
        id: randomUUID(),
        email: body.email,
        username: body.username,
        password_hash: await hashPassword(body.password),
        role,
      });
      if (!row) throw conflict('EMAIL_TAKEN', 'An account with this e-mail already exists.');
      await audit.record({
        ...ctx,
        type: 'user_registered',
        actorUserId: row.id,
        actorLabel: row.email,
        targetType: 'user',
        targetId: row.id,
        details: { role },
      });
      return toUser(row);
    },

    async login(body: LoginBody, ctx: AuditContext = {}) {
      const ipLockedMs = ctx.ip ? await lockout.ipLockedFor(ctx.ip) : 0;
      if (ipLockedMs > 0) {
        await audit.record({
          ...ctx,
          type: 'login_blocked',
          outcome: 'denied',
          actorLabel: body.email,
          details: { reason: 'ip' },
        });
        throw ipBlocked(ipLockedMs);
      }
      const lockedMs = await lockout.accountLockedFor(body.email);
      if (lockedMs > 0) {
        await audit.record({
          ...ctx,
          type: 'login_blocked',
          outcome: 'denied',
          actorLabel: body.email,
          details: { reason: 'account_locked' },
        });
        throw accountLocked(lockedMs);
      }
      const row = await repo.findUserByEmail(body.email);
      const ok = await verifyPassword(row?.password_hash ?? (await getDummyHash()), body.password);
      if (!row || !ok) {
        const f = await lockout.failure(body.email, ctx.ip ?? null);
        await audit.record({
          ...ctx,
          type: 'login_failed',
          outcome: 'failure',
          actorUserId: row?.id ?? null,
          actorLabel: body.email,
          details: { reason: row ? 'wrong_password' : 'unknown_account', failures: f.accountFailures },
        });
        if (f.accountLocked) {
          await audit.record({
            ...ctx,
            type: 'account_locked',
            outcome: 'denied',
            actorUserId: row?.id ?? null,
            actorLabel: body.email,
            targetType: 'user',
            targetId: row?.id ?? null,
          });
        }
        if (f.ipLocked)
          await audit.record({ ...ctx, type: 'ip_blocked', outcome: 'denied', details: { ip: ctx.ip } });
        throw invalidCredentials();
      }
      if (row.disabled_at) {
        await audit.record({
          ...ctx,
          type: 'login_failed',
          outcome: 'denied',
          actorUserId: row.id,
          actorLabel: row.email,
          details: { reason: 'disabled' },
        });
        throw accountDisabled();
      }
      await lockout.success(body.email);
      const refresh = await refreshTokens.issue(row.id);
      const accessToken = await tokens.sign({ userId: row.id, role: row.role });
      await audit.record({ ...ctx, type: 'login_succeeded', actorUserId: row.id, actorLabel: row.email });
      return { accessToken, user: toUser(row), refresh };
    },

    refresh: refreshTokens.refresh,
    logout: refreshTokens.logout,
    familyOf: refreshTokens.familyOf,

    /** Changes the password; every other sign-in (refresh family, older access token) ends. */
    async changePassword(
      userId: string,
      body: ChangePasswordBody,
      keepFamilyId: string | undefined,
      ctx: AuditContext = {},
    ) {
      const row = await repo.findUserById(userId);
      if (!row || row.disabled_at) throw invalidRefresh();
      await confirmPassword(row, body.currentPassword, 'change_password', ctx);
      if (passwordIsEmail(body.newPassword, row.email)) {
        throw badRequest('Invalid request body: newPassword', [
          { path: 'newPassword', message: 'must not be your e-mail address' },
        ]);
      }
      // Whole seconds: JWT iat has second precision; a token issued in this second stays valid.
      const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
      await repo.setPassword(userId, await hashPassword(body.newPassword), notBefore);
      const revoked = await repo.revokeUserTokens(userId, keepFamilyId);
      await lockout.success(row.email);
      await audit.record({
        ...ctx,
        type: 'password_changed',
        actorUserId: userId,
        actorLabel: row.email,
        targetType: 'user',
        targetId: userId,
        details: { revokedRefreshTokens: revoked },
      });
      return { accessToken: await tokens.sign({ userId, role: row.role }) };
    },

    /**
     * Deletes the account after confirming the password. `removeSessions` deletes the user's
     * sessions through the sessions service first (live rooms close, stored files go); the
     * database cascade removes whatever is left.
     */
    async deleteAccount(
      userId: string,
      password: string,
      removeSessions: (userId: string) => Promise<number>,
      ctx: AuditContext = {},
    ) {
      const row = await repo.findUserById(userId);
      if (!row) throw invalidRefresh();
      await confirmPassword(row, password, 'delete_account', ctx);
      if (row.role === 'admin' && !row.disabled_at && (await repo.countActiveAdmins()) <= 1) {
        throw conflict('LAST_ADMIN', 'You are the last administrator: make someone else admin first.');
      }
      const sessions = await removeSessions(userId);
      await repo.deleteUser(userId);
      await audit.record({
        ...ctx,
        type: 'account_deleted',
        actorUserId: userId,
        actorLabel: row.email,
        targetType: 'user',
        targetId: userId,
        details: { sessions },
      });
    },

    async getUser(userId: string): Promise<User | null> {
      const row = await repo.findUserById(userId);
      return row && !row.disabled_at ? toUser(row) : null;
    },
    getUserRow: (userId: string) => repo.findUserById(userId),
    findUserByEmail: (email: string) => repo.findUserByEmail(email.trim().toLowerCase()),
    listUsers: () => repo.listUsers(),
    countActiveAdmins: () => repo.countActiveAdmins(),
    /** Role/disabled changes (admin and CLI); disabling ends every sign-in of the user. */
    async setUserState(
      userId: string,
      patch: { role?: UserRow['role']; disabled?: boolean },
    ): Promise<UserRow | undefined> {
      const set: { role?: UserRow['role']; disabled_at?: Date | null } = {};
      if (patch.role !== undefined) set.role = patch.role;
      if (patch.disabled !== undefined) set.disabled_at = patch.disabled ? new Date() : null;
      const row = await repo.updateUser(userId, set);
      if (row && patch.disabled) await repo.revokeUserTokens(userId);
      return row;
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
