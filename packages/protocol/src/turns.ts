import { z } from 'zod';
import { MATERIAL_MAX_BYTES, MATERIAL_MEDIA_TYPES } from './light.js';

// ---- Discussion mode (`mode: "discussion"`): settings, turns, per-speaker totals ----------------

export const FACILITATOR_CHOICES = ['me', 'someone_else', 'none'] as const;
export type FacilitatorChoice = (typeof FACILITATOR_CHOICES)[number];
/** Who brings the materials; several may apply. */
export const MATERIALS_CHOICES = ['me', 'someone_else', 'during'] as const;
export type MaterialsChoice = (typeof MATERIALS_CHOICES)[number];

export const DEFAULT_REACTION_LAG_SEC = 3;
export const TURN_SPEAKER_MAX = 64;
export const DISCUSSION_SPEAKERS_MAX = 50;
export const DISCUSSION_LINKS_MAX = 20;

/** Only web links: a `javascript:` or `data:` URL shown to everyone would be an attack. */
export const materialLinkSchema = z
  .object({
    title: z.string().trim().max(120).default(''),
    url: z
      .string()
      .trim()
      .max(2000)
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'an http(s) link'),
  })
  .strict();
export type MaterialLink = z.infer<typeof materialLinkSchema>;

export const speakerNameSchema = z.string().trim().min(1).max(TURN_SPEAKER_MAX);

export const discussionSettingsSchema = z
  .object({
    /** "none": everyone shares the whole graph and anyone marks the turns. */
    facilitator: z.enum(FACILITATOR_CHOICES),
    materials: z.array(z.enum(MATERIALS_CHOICES)).max(3).default([]),
    /** Materials shown to everyone (links). */
    links: z.array(materialLinkSchema).max(DISCUSSION_LINKS_MAX).default([]),
    /** Speakers named in advance; more may be added during the discussion. */
    speakers: z.array(speakerNameSchema).max(DISCUSSION_SPEAKERS_MAX).default([]),
    /** Listeners react a few seconds after the words: a turn's figures are read this much later. */
    reactionLagSec: z.number().int().min(0).max(30).default(DEFAULT_REACTION_LAG_SEC),
  })
  .strict();
export type DiscussionSettings = z.infer<typeof discussionSettingsSchema>;

// ---- WebSocket ---------------------------------------------------------------------------

/** `speaker`: a participantId of the session, or a name. */
export const turnStartMessageSchema = z
  .object({ type: z.literal('turn:start'), speaker: speakerNameSchema })
  .strict();
export const turnEndMessageSchema = z.object({ type: z.literal('turn:end') }).strict();

export const liveTurnSchema = z.object({
  id: z.string(),
  /** the speaker's name as shown (a participant's display name, or the name given) */
  speaker: z.string(),
  /** the participant speaking, when the speaker is one (their own signals are not counted) */
  participantId: z.string().nullable(),
  /** ms since the session started */
  startT: z.number(),
});
export type LiveTurn = z.infer<typeof liveTurnSchema>;

export const turnUpdateMessageSchema = z.object({
  type: z.literal('turn:update'),
  turn: liveTurnSchema.nullable(),
});
export type TurnUpdateMessage = z.infer<typeof turnUpdateMessageSchema>;

// ---- REST --------------------------------------------------------------------------------

export const turnSchema = liveTurnSchema.extend({
  endT: z.number().nullable(),
  /** average of the listeners (the speaker excluded) over [startT + lag, endT + lag) */
  avg: z.number().nullable(),
  /** the most listeners counted at once during the turn (the speaker excluded) */
  n: z.number().int(),
  /** avg minus the average of the 10 s just before the turn (same lag, same exclusion) */
  delta: z.number().nullable(),
});
export type Turn = z.infer<typeof turnSchema>;

export const speakerTotalSchema = z.object({
  speaker: z.string(),
  participantId: z.string().nullable(),
  turns: z.number().int(),
  speakingMs: z.number(),
  /** the listeners' average during this speaker's turns, weighted by time */
  avg: z.number().nullable(),
  best: z.object({ turnId: z.string(), avg: z.number() }).nullable(),
  worst: z.object({ turnId: z.string(), avg: z.number() }).nullable(),
});
export type SpeakerTotal = z.infer<typeof speakerTotalSchema>;

export const turnsResponseSchema = z.object({
  turns: z.array(turnSchema),
  speakers: z.array(speakerTotalSchema),
  /** the reaction lag applied to every figure */
  reactionLagMs: z.number().int(),
});
export type TurnsResponse = z.infer<typeof turnsResponseSchema>;

/** With no facilitator the graph is shared with everyone (zod-free: light.ts). */
export { listenersSeeWholeGraph } from './light.js';

// ---- Materials that are files (links stay in settings.discussion.links) ----------------------

/** The materials' limits (zod-free: light.ts). */
export { MATERIAL_MAX_BYTES, MATERIAL_MEDIA_TYPES, MATERIALS_PER_SESSION_MAX } from './light.js';

/** POST /api/sessions/:id/materials — then the bytes by tus with `Upload-Metadata: materialId`. */
export const createMaterialRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(120).optional(),
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine(
        (n) => !/[\\/]/.test(n) && [...n].every((c) => c.charCodeAt(0) >= 0x20),
        'a file name without slashes or control characters',
      ),
    mediaType: z.enum(MATERIAL_MEDIA_TYPES),
    sizeBytes: z.number().int().min(1).max(MATERIAL_MAX_BYTES),
  })
  .strict();
export type CreateMaterialRequest = z.infer<typeof createMaterialRequestSchema>;

export const materialSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  title: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  status: z.enum(['uploading', 'ready']),
  createdAt: z.string(),
  /** a signed, expiring download URL (ready files only) */
  url: z.string().nullable(),
});
export type Material = z.infer<typeof materialSchema>;
export const materialResponseSchema = z.object({ material: materialSchema });
export const materialsResponseSchema = z.object({ materials: z.array(materialSchema) });
export type MaterialsResponse = z.infer<typeof materialsResponseSchema>;

/**
 * A file material appeared or changed: to the people on stage while it uploads, to everyone once
 * it is `ready` (with its signed URL). Screens update their list from it instead of polling.
 */
export const materialUpdatedMessageSchema = z.object({
  type: z.literal('material:updated'),
  material: materialSchema,
});
/** A file material was deleted: drop it from every list. */
export const materialRemovedMessageSchema = z.object({
  type: z.literal('material:removed'),
  materialId: z.string(),
});
