import { z } from 'zod';
import { levelSchema } from './common.js';

export const setUnderstandingBodySchema = z.object({ level: levelSchema }).strict();

/** counts[i] = number of listeners at level i+1. */
export const countsSchema = z.tuple([
  z.number().int(),
  z.number().int(),
  z.number().int(),
  z.number().int(),
  z.number().int(),
]);
export type Counts = z.infer<typeof countsSchema>;

const msNumber = z.coerce
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600 * 1000);
export const historyQuerySchema = z
  .object({
    /** ms since the session started */
    from: msNumber.optional(),
    to: msNumber.optional(),
    /** bucket width in ms (≥ 1000) */
    step: z.coerce
      .number()
      .int()
      .min(1000)
      .max(3600 * 1000)
      .optional(),
    /** include per-listener lines (speaker only); default true for the speaker */
    participants: z.enum(['0', '1', 'true', 'false']).optional(),
    /**
     * `video` (video sessions): t is the VIDEO position in ms, one point per second of video
     * (step ignored); signals given while the video was paused are left out of the points and
     * counted in `pausedPoints` at the paused position. Per-listener lines are not given.
     */
    axis: z.enum(['session', 'video']).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

export const historyPointSchema = z.object({
  t: z.number(),
  avg: z.number().nullable(),
  n: z.number().int(),
  counts: countsSchema,
});
export type HistoryPoint = z.infer<typeof historyPointSchema>;

export const historyResponseSchema = z.object({
  step: z.number(),
  points: z.array(historyPointSchema),
  /** axis=video only: `session` or `video`, and the signals given while paused (t = paused position). */
  axis: z.enum(['session', 'video']).optional(),
  pausedPoints: z.array(historyPointSchema).optional(),
  participants: z
    .array(
      z.object({
        participantId: z.string(),
        displayName: z.string().nullable(),
        points: z.array(z.object({ t: z.number(), level: z.number().int() })),
      }),
    )
    .optional(),
});
export type HistoryResponse = z.infer<typeof historyResponseSchema>;
