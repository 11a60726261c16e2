import { randomUUID } from 'node:crypto';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { AuditContext, AuditService } from '../audit/audit-service.js';
import type { AccessTokens } from './access-token.js';
import { invalidRefresh } from './auth-errors.js';
import type { AuthRepo } from './auth-repo.js';

export interface RefreshTokensDeps {
  repo: AuthRepo;
  tokens: AccessTokens;
  refreshTtlDays: number;
  audit: AuditService;
}

/** Refresh tokens: random, stored hashed, rotated on every use; a reused one revokes its family. */
export function createRefreshTokens({ repo, tokens, refreshTtlDays, audit }: RefreshTokensDeps) {
  async function issue(userId: string, familyId: string = randomUUID()) {
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

  return {
    issue,
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
      const next = await issue(user.id, row.family_id);
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
  };
}
export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
