import { z } from 'zod';
import { levelSchema } from './common.js';
import { countsSchema } from './understanding.js';
import { questionContentSchema, questionSchema } from './questions.js';
import { participantSchema, SESSION_STATUSES } from './sessions.js';
import {
  materialRemovedMessageSchema,
  materialUpdatedMessageSchema,
  turnEndMessageSchema,
  turnStartMessageSchema,
  turnUpdateMessageSchema,
} from './turns.js';
import { recordingStatusMessageSchema } from './recordings.js';
import {
  videoControlMessageSchema,
  videoStateMessageSchema,
  videoViewerMessageSchema,
  videoViewersMessageSchema,
} from './videos.js';

// ---- client → server -------------------------------------------------------
// Each client message has its own schema; the server's gateway registry validates a message with
// the schema its feature registered (packages/server/src/realtime/registry.ts).

export const understandingSetMessageSchema = z
  .object({ type: z.literal('understanding:set'), level: levelSchema })
  .strict();
export const pingMessageSchema = z
  .object({ type: z.literal('ping'), id: z.union([z.string().max(64), z.number()]) })
  .strict();
export const questionAskMessageSchema = z
  .object({ type: z.literal('question:ask'), content: questionContentSchema })
  .strict();

export const clientMessageSchema = z.discriminatedUnion('type', [
  understandingSetMessageSchema,
  questionAskMessageSchema,
  pingMessageSchema,
  turnStartMessageSchema,
  turnEndMessageSchema,
  videoControlMessageSchema,
  videoViewerMessageSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export const CLIENT_MESSAGE_TYPES = [
  'understanding:set',
  'question:ask',
  'ping',
  'turn:start',
  'turn:end',
  'video:control',
  'video:viewer',
] as const;

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
  /** Speaker only: present while this instance cannot reach the others (Redis down); the counts
   *  then cover only the listeners connected to this instance. Absent when the view is complete. */
  degraded: z.literal('instances_unreachable').optional(),
  /** Video sessions only: the video position (ms) at this tick, and whether it was playing. */
  videoMs: z.number().optional(),
  videoPlaying: z.boolean().optional(),
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

/** First message after connecting: who I am and where I stand. */
export const welcomeMessageSchema = z.object({
  type: z.literal('welcome'),
  protocolVersion: z.number().int(),
  role: z.enum(['host', 'presenter', 'listener']),
  participantId: z.string().nullable(),
  /** my last level (listeners), restored after a reconnect */
  level: z.number().int().nullable(),
  serverTime: z.number(),
  tickMs: z.number().int(),
});
export type WelcomeMessage = z.infer<typeof welcomeMessageSchema>;

/** Who is in the session (speaker always; listeners unless anonymous). Sent on connect and when it changes. */
export const participantsMessageSchema = z.object({
  type: z.literal('participants'),
  participants: z.array(participantSchema),
});
export type ParticipantsMessage = z.infer<typeof participantsMessageSchema>;

/** The session's warning rule tripped (active) or cleared. Speaker only. */
export const warningMessageSchema = z.object({
  type: z.literal('warning'),
  active: z.boolean(),
  t: z.number(),
  avg: z.number().nullable(),
});
export type WarningMessage = z.infer<typeof warningMessageSchema>;

export const pongMessageSchema = z.object({
  type: z.literal('pong'),
  id: z.union([z.string(), z.number()]),
  serverTime: z.number(),
});
export type PongMessage = z.infer<typeof pongMessageSchema>;

export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
});
export type ErrorMessage = z.infer<typeof errorMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  understandingUpdateSchema,
  sessionStatusMessageSchema,
  welcomeMessageSchema,
  participantsMessageSchema,
  warningMessageSchema,
  z.object({ type: z.literal('question:new'), question: questionSchema }),
  z.object({ type: z.literal('question:answered'), question: questionSchema }),
  /** Votes, status, pin or approval changed (see docs/api.md for who gets which copy). */
  z.object({ type: z.literal('question:updated'), question: questionSchema }),
  /** A question is gone (its asker erased themselves from the session): drop it from every list. */
  z.object({ type: z.literal('question:removed'), questionId: z.string() }),
  /** A recording changed (status, bytes saved, pauses, mediaUrl). Speakers (host, presenter) only. */
  recordingStatusMessageSchema,
  pongMessageSchema,
  errorMessageSchema,
  turnUpdateMessageSchema,
  materialUpdatedMessageSchema,
  materialRemovedMessageSchema,
  videoStateMessageSchema,
  videoViewersMessageSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
