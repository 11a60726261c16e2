import { randomUUID } from 'node:crypto';
import type { LoginBody, RegisterBody, User } from '@rstream/protocol';
import type { Logger } from 'pino';
import { AppError, conflict } from '../../errors.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import type { AccessTokens } from './access-token.js';
import type { AuthRepo, UserRow } from './auth-repo.js';
import { getDummyHash, hashPassword, verifyPassword } from './password.js';

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  username: row.username,
  role: row.role,
  createdAt: new Date(row.created_at).toISOString(),
});

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong e-mail or password.');
const invalidRefresh = () => new AppError(401, 'UNAUTHENTICATED', 'Sign in again.');

export interface AuthServiceDeps {
  repo: AuthRepo;
  tokens: AccessTokens;
  refreshTtlDays: number;
  log: Logger;
}

export function createAuthService({ repo, tokens, refreshTtlDays, log }: AuthServiceDeps) {
  async function issueRefresh(userId: string, familyId: string = randomUUID()) {
    const token = randomToken('r');
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + refreshTtlDays * 86_400_000);
    await repo.insertRefreshToken({ id, user_id: userId, family_id: familyId, token_hash: sha256(token), expires_at: expiresAt });
    return { id, token, expiresAt };
  }

  return {
    async register(body: RegisterBody, role: 'admin' | 'speaker' = 'speaker'): Promise<User> {
      const row = await repo.insertUser({
        id: randomUUID(),
        email: body.email,
        username: body.username,
        password_hash: await hashPassword(body.password),
        role,
      });
      if (!row) throw conflict('EMAIL_TAKEN', 'An account with this e-mail already exists.');
      return toUser(row);
    },

    async login(body: LoginBody) {
      const row = await repo.findUserByEmail(body.email);
      const ok = await verifyPassword(row?.password_hash ?? (await getDummyHash()), body.password);
      if (!row || !ok) throw invalidCredentials();
      if (row.disabled_at) throw new AppError(403, 'FORBIDDEN', 'This account is disabled.');
      const refresh = await issueRefresh(row.id);
      const accessToken = await tokens.sign({ userId: row.id, role: row.role });
      return { accessToken, user: toUser(row), refresh };
    },

    /** Rotates the refresh token. A token used twice revokes its whole family. */
    async refresh(token: string | undefined) {
      if (!token) throw invalidRefresh();
      const row = await repo.findRefreshToken(sha256(token));
      if (!row) throw invalidRefresh();
      if (row.revoked_at) {
        await repo.revokeFamily(row.family_id);
        log.warn({ event: 'refresh_token_reuse', userId: row.user_id, familyId: row.family_id }, 'refresh token reused');
        throw invalidRefresh();
      }
      if (new Date(row.expires_at).getTime() < Date.now()) throw invalidRefresh();
      const user = await repo.findUserById(row.user_id);
      if (!user || user.disabled_at) throw invalidRefresh();
      const next = await issueRefresh(user.id, row.family_id);
      if (!(await repo.markRotated(row.id, next.id))) {
        await repo.revokeFamily(row.family_id);
        throw invalidRefresh();
      }
      return { accessToken: await tokens.sign({ userId: user.id, role: user.role }), refresh: next };
    },

    async logout(token: string | undefined): Promise<void> {
      if (!token) return;
      const row = await repo.findRefreshToken(sha256(token));
      if (row) await repo.revokeFamily(row.family_id);
    },

    async getUser(userId: string): Promise<User | null> {
      const row = await repo.findUserById(userId);
      return row && !row.disabled_at ? toUser(row) : null;
    },
    async getUserRow(userId: string) {
      return repo.findUserById(userId);
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
