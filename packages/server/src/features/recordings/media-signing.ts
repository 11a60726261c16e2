import { createHmac } from 'node:crypto';
import { safeEqual } from '../../platform/crypto.js';

/**
 * Signed, expiring media URLs: `path?exp=<epoch s>&sig=<HMAC-SHA256(path \n exp)>`. A `<video>`
 * element cannot send a bearer token, so the URL itself is the credential; it names one object and
 * stops working at `exp`. The key is MEDIA_URL_SECRET (shared by every instance).
 */
export function createMediaSigner(secret: string, ttlSec: number, now: () => number = Date.now) {
  const sign = (path: string, exp: number) =>
    createHmac('sha256', secret).update(`${path}\n${exp}`).digest('base64url');
  return {
    ttlSec,
    /** A relative URL (`/api/media/…?exp=&sig=`) and when it expires. */
    url(path: string): { url: string; expiresAt: Date } {
      const exp = Math.floor(now() / 1000) + ttlSec;
      return { url: `${path}?exp=${exp}&sig=${sign(path, exp)}`, expiresAt: new Date(exp * 1000) };
    },
    /** missing (no signature: 401), invalid (403), expired (403), or ok. */
    verify(path: string, exp: unknown, sig: unknown): 'ok' | 'missing' | 'invalid' | 'expired' {
      if (typeof exp !== 'string' || typeof sig !== 'string' || !exp || !sig) return 'missing';
      if (!/^\d{1,12}$/.test(exp)) return 'invalid';
      if (!safeEqual(sign(path, Number(exp)), sig)) return 'invalid';
      if (Number(exp) * 1000 < now()) return 'expired';
      return 'ok';
    },
  };
}
export type MediaSigner = ReturnType<typeof createMediaSigner>;
