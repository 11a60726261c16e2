import type { MessageKey, Translate } from '../app/i18n';
import { en } from '../app/i18n/en';
import { ApiError } from './client';

function isKey(key: string): key is MessageKey {
  return key in en;
}

/** A user-facing sentence for any thrown value; known server codes are translated. */
export function errorMessage(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    const key = `errors.${err.code}`;
    let text = isKey(key) ? t(key) : t('errors.UNKNOWN', { code: err.code });
    if (err.code === 'VALIDATION_FAILED' && Array.isArray(err.details)) {
      const parts = (err.details as { path?: unknown; message?: unknown }[])
        .map((d) => [Array.isArray(d.path) ? d.path.join('.') : d.path, d.message].filter(Boolean).join(': '))
        .filter(Boolean);
      if (parts.length) text += ` (${parts.join('; ')})`;
    }
    return text;
  }
  return t('errors.UNKNOWN', { code: err instanceof Error ? err.message : String(err) });
}
