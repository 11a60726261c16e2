import { SignJWT, jwtVerify, errors } from 'jose';
import type { UserRole } from '@rstream/protocol';

export interface AccessClaims {
  userId: string;
  role: UserRole;
  /** issued at, seconds since the epoch (0 when signing) */
  iat?: number;
}

const ISSUER = 'rstream';
const AUDIENCE = 'rstream-api';

export function createAccessTokens(secret: string, ttlSec: number) {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(claims: AccessClaims): Promise<string> {
      return new SignJWT({ role: claims.role })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSec}s`)
        .sign(key);
    },
    /** null for anything that is not a valid, unexpired token of ours. */
    async verify(token: string): Promise<AccessClaims | null> {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
        });
        if (typeof payload.sub !== 'string') return null;
        const role = payload.role === 'admin' ? 'admin' : 'speaker';
        return { userId: payload.sub, role, iat: typeof payload.iat === 'number' ? payload.iat : 0 };
      } catch (e) {
        if (e instanceof errors.JOSEError || e instanceof TypeError) return null;
        throw e;
      }
    },
  };
}
export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** JWTs have three dot-separated parts; participant tokens start with `p_`. */
export const looksLikeJwt = (token: string): boolean => token.split('.').length === 3;
