import { z } from 'zod';

// Plain values live in light.ts (zod-free, for the listener's page); re-exported here.
export { PROTOCOL_VERSION, CLOSE_CODES } from './light.js';

/** Every error the API returns has this body (see docs/api.md). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'SESSION_NOT_FOUND',
  'SESSION_NOT_LIVE',
  'SESSION_ENDED',
  'EMAIL_TAKEN',
  'INVALID_STATUS_CHANGE',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'BAD_MESSAGE',
  'UNKNOWN_MESSAGE',
  'QUESTIONS_UNAVAILABLE',
  'QUESTIONS_DISABLED',
  'QUESTION_NOT_FOUND',
  'NOT_DISCUSSION', // turns outside a discussion session
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'LAST_ADMIN',
  'INVITATION_NOT_FOUND',
  'INVITATION_EXPIRED',
  'INVITATION_USED',
  'INVITATION_REVOKED',
  // recordings, uploads, media and archive
  'RECORDING_NOT_FOUND',
  'RECORDING_IN_PROGRESS',
  'RECORDING_FINISHED',
  'RECORDING_TOO_LONG',
  'UPLOAD_NOT_FOUND',
  'UPLOAD_EXISTS',
  'UPLOAD_OFFSET_MISMATCH',
  'STORAGE_FULL',
  'STORAGE_UNAVAILABLE',
  'MEDIA_SIGNATURE_MISSING',
  'MEDIA_SIGNATURE_INVALID',
  'MEDIA_URL_EXPIRED',
  'RANGE_NOT_SATISFIABLE',
  'SHUTTING_DOWN',
  'SERVICE_UNAVAILABLE',
  'REPORT_NOT_READY',
  // video-watching mode
  'NOT_VIDEO', // video:control / video:viewer outside a video session
  'NO_VIDEO', // a video session without its video (start, control)
  'VIDEO_NOT_FOUND',
  'VIDEO_IN_USE', // DELETE while a session names it
  'VIDEO_BUSY',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Understanding level: 1 = not following at all … 5 = fully understand. */
export const levelSchema = z.number().int().min(1).max(5);
export type Level = 1 | 2 | 3 | 4 | 5;

/** Maximum size of one WebSocket text frame a client may send. */
export const WS_MAX_MESSAGE_BYTES = 4096;
