import { randomUUID } from 'node:crypto';
import {
  passwordIsEmail,
  type ChangePasswordBody,
  type LoginBody,
  type RegisterBody,
  type User,
} from '@rstream/protocol';
import type { Logger } from 'pino';
import { AppError, badRequest, conflict } from '../../errors.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { AuditContext, AuditService } from '../audit/audit-service.js';
import type { AccessTokens } from './access-token.js';
import type { AuthRepo, UserRow } from './auth-repo.js';
import type { Lockout } from './lockout.js';
import { getDummyHash, hashPassword, verifyPassword } from './password.js';

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  username: row.username,
  role: row.role,
  createdAt: new Date(row.created_at).toISOString(),
});

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong e-mail or password.');
const wrongPassword = () => new AppError(401, 'INVALID_CREDENTIALS', 'The password is wrong.');
const invalidRefresh = () => new AppError(401, 'UNAUTHENTICATED', 'Sign in again.');
export const accountDisabled = () =>
  new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled; ask an administrator.');
const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
const accountLocked = (ms: number) =>
  new AppError(
    429,
    'ACCOUNT_LOCKED',
    `Too many failed attempts: this account is locked for ${minutes(ms)} min.`,
    { retryAfterSec: Math.ceil(ms / 1000) },
  );
const ipBlocked = (ms: number) =>
  new AppError(
    429,
    'RATE_LIMITED',
    `Too many failed sign-ins from your address; try again in ${minutes(ms)} min.`,
    { retryAfterSec: Math.ceil(ms / 1000) },
  );

export interface AuthServiceDeps {
  repo: AuthRepo;
  tokens: AccessTokens;
  refreshTtlDays: number;
  log: Logger;
  audit: AuditService;
  lockout: Lockout;
}

export function createAuthService({ repo, tokens, refreshTtlDays, audit, lockout }: AuthServiceDeps) {
  async function issueRefresh(userId: string, familyId: string = randomUUID()) {
    const token = randomToken('r');
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + refreshTtlDays * 86_400_000);
    await repo.insertRefreshToken({
      id,
      user_id: userId,
      family_id: familyId,
      token_hash: sha256(token),
      expires_at: expiresAt,
    });
    return { id, token, expiresAt, familyId };
  }

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
      const refresh = await issueRefresh(row.id);
      const accessToken = await tokens.sign({ userId: row.id, role: row.role });
      await audit.record({ ...ctx, type: 'login_succeeded', actorUserId: row.id, actorLabel: row.email });
      return { accessToken, user: toUser(row), refresh };
    },

    /** Rotates the refresh token. A token used twice revokes its whole family and is recorded. */
    async refresh(token: string | undefined, ctx: AuditContext = {}) {
      if (!token) throw invalidRefresh();
      const row = await repo.findRefreshToken(sha256(token));
      if (!row) throw invalidRefresh();
      const reuse = async (reason: string) => {
        await repo.revokeFamily(row.family_id);
        await audit.record({
          ...ctx,
          type: 'refresh_token_reuse',
          outcome: 'denied',
          actorUserId: row.user_id,
          targetType: 'refresh_family',
          targetId: row.family_id,
          details: { reason },
        });
        return invalidRefresh();
      };
      if (row.revoked_at) {
        // A rotated token seen again: someone holds a copy. Revoked by logout/password change: just refuse.
        if (row.replaced_by) throw await reuse('rotated token used again');
        throw invalidRefresh();
      }
      if (new Date(row.expires_at).getTime() < Date.now()) throw invalidRefresh();
      const user = await repo.findUserById(row.user_id);
      if (!user || user.disabled_at) throw invalidRefresh();
      const next = await issueRefresh(user.id, row.family_id);
      if (!(await repo.markRotated(row.id, next.id))) throw await reuse('concurrent rotation');
      return { accessToken: await tokens.sign({ userId: user.id, role: user.role }), refresh: next };
    },

    async logout(token: string | undefined, ctx: AuditContext = {}): Promise<void> {
      if (!token) return;
      const row = await repo.findRefreshToken(sha256(token));
      if (!row) return;
      await repo.revokeFamily(row.family_id);
      await audit.record({
        ...ctx,
        type: 'logout',
        actorUserId: row.user_id,
        targetType: 'refresh_family',
        targetId: row.family_id,
      });
    },

    /** The refresh family of a cookie, when it is a live token of this user. */
    async familyOf(token: string | undefined, userId: string): Promise<string | undefined> {
      if (!token) return undefined;
      const row = await repo.findRefreshToken(sha256(token));
      return row && row.user_id === userId && !row.revoked_at ? row.family_id : undefined;
    },

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
