import type { ErrorCode } from '@rstream/protocol';
import type { ZodError } from 'zod';

/** A coded error that the HTTP layer turns into `{"error":{code,message,details}}`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'VALIDATION_FAILED', message, details);
export const unauthenticated = (message = 'Sign in first.') => new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this.') =>
  new AppError(403, 'FORBIDDEN', message);
export const sessionNotFound = () => new AppError(404, 'SESSION_NOT_FOUND', 'No such session.');
export const notFound = (message = 'Not found.') => new AppError(404, 'NOT_FOUND', message);
export const conflict = (code: ErrorCode, message: string) => new AppError(409, code, message);

export function zodDetails(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

export function validationError(error: ZodError, what = 'request'): AppError {
  const details = zodDetails(error);
  const fields = [...new Set(details.map((d) => d.path))].join(', ');
  return badRequest(`Invalid ${what}: ${fields}`, details);
}
