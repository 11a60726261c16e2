import { z } from 'zod';
import { levelSchema } from './common.js';
import { countsSchema } from './understanding.js';
import { questionContentSchema, questionSchema } from './questions.js';
import { participantSchema, SESSION_STATUSES } from './sessions.js';
import { recordingStatusMessageSchema } from './recordings.js';

// ---- client → server -------------------------------------------------------

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('understanding:set'), level: levelSchema }).strict(),
  z.object({ type: z.literal('question:ask'), content: questionContentSchema }).strict(),
  z.object({ type: z.literal('ping'), id: z.union([z.string().max(64), z.number()]) }).strict(),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export const CLIENT_MESSAGE_TYPES = ['understanding:set', 'question:ask', 'ping'] as const;

// ---- server → client -------------------------------------------------------

export const understandingUpdateSchema = z.object({
  type: z.literal('understanding:update'),
  /** ms since the session started */
  t: z.number(),
  /** server wall clock (epoch ms) when the tick was built; clients measure latency with it */
  ts: z.number(),
  /** per-session tick counter; a gap means an update was skipped for this socket */
  seq: z.number().int(),
  avg: z.number().nullable(),
  n: z.number().int(),
  counts: countsSchema,
  /** Speaker only: current level of each participant. When `partial` is true (large audiences)
   *  it lists only the participants whose level changed since the previous tick; level null = left. */
  participants: z
    .array(z.object({ participantId: z.string(), level: z.number().int().nullable() }))
    .optional(),
  partial: z.boolean().optional(),
});
export type UnderstandingUpdate = z.infer<typeof understandingUpdateSchema>;

export const sessionStatusMessageSchema = z.object({
  type: z.literal('session:status'),
  status: z.enum(SESSION_STATUSES),
  startedAt: z.string().nullable().optional(),
  endsAt: z.string().nullable().optional(),
  endedAt: z.string().nullable().optional(),
});
export type SessionStatusMessage = z.infer<typeof sessionStatusMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  understandingUpdateSchema,
  sessionStatusMessageSchema,
  /** First message after connecting: who I am and where I stand. */
  z.object({
    type: z.literal('welcome'),
    protocolVersion: z.number().int(),
    role: z.enum(['host', 'presenter', 'listener']),
    participantId: z.string().nullable(),
    /** my last level (listeners), restored after a reconnect */
    level: z.number().int().nullable(),
    serverTime: z.number(),
    tickMs: z.number().int(),
  }),
  /** Who is in the session (speaker always; listeners unless anonymous). Sent on connect and when it changes. */
  z.object({ type: z.literal('participants'), participants: z.array(participantSchema) }),
  /** The session's warning rule tripped (active) or cleared. Speaker only. */
  z.object({
    type: z.literal('warning'),
    active: z.boolean(),
    t: z.number(),
    avg: z.number().nullable(),
  }),
  z.object({ type: z.literal('question:new'), question: questionSchema }),
  z.object({ type: z.literal('question:answered'), question: questionSchema }),
  /** Votes, status, pin or approval changed (see docs/api.md for who gets which copy). */
  z.object({ type: z.literal('question:updated'), question: questionSchema }),
  /** A recording changed (status, bytes saved, pauses, mediaUrl). Speakers (host, presenter) only. */
  recordingStatusMessageSchema,
  z.object({ type: z.literal('pong'), id: z.union([z.string(), z.number()]), serverTime: z.number() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
