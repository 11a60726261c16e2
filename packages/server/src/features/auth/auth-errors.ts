import { AppError } from '../../errors.js';

export const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong e-mail or password.');
export const wrongPassword = () => new AppError(401, 'INVALID_CREDENTIALS', 'The password is wrong.');
export const invalidRefresh = () => new AppError(401, 'UNAUTHENTICATED', 'Sign in again.');
export const accountDisabled = () =>
  new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled; ask an administrator.');
const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
export const accountLocked = (ms: number) =>
  new AppError(
    429,
    'ACCOUNT_LOCKED',
    `Too many failed attempts: this account is locked for ${minutes(ms)} min.`,
    { retryAfterSec: Math.ceil(ms / 1000) },
  );
export const ipBlocked = (ms: number) =>
  new AppError(
    429,
    'RATE_LIMITED',
    `Too many failed sign-ins from your address; try again in ${minutes(ms)} min.`,
    { retryAfterSec: Math.ceil(ms / 1000) },
  );
