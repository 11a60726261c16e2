import { z } from 'zod';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from './light.js';
import { discussionSettingsSchema } from './turns.js';
import { videoSettingsSchema } from './videos.js';

export const SESSION_MODES = ['presentation', 'video', 'discussion'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];
/** Modes this build can run; the others are shown as "coming later". */
export const AVAILABLE_MODES: readonly SessionMode[] = ['presentation', 'video', 'discussion'];

export const SESSION_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const GRAPH_VISIBILITY = ['none', 'own', 'all'] as const;
export type GraphVisibility = (typeof GRAPH_VISIBILITY)[number];

export const SIGNAL_STYLES = ['sticky', 'momentary'] as const;
export type SignalStyle = (typeof SIGNAL_STYLES)[number];

export const warningRuleSchema = z.object({
  enabled: z.boolean(),
  /** Warn when the average is below this… */
  threshold: z.number().min(1).max(5),
  /** …for at least this many seconds. */
  durationSec: z.number().int().min(1).max(600),
});
export type WarningRule = z.infer<typeof warningRuleSchema>;

export const sessionSettingsSchema = z.object({
  /** Listeners' names are hidden from everyone else (speaker included). */
  anonymous: z.boolean(),
  /** What listeners see of the graph. */
  graphVisibility: z.enum(GRAPH_VISIBILITY),
  /** Planned length; listeners see the time left. null = open-ended. */
  plannedDurationMin: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .nullable(),
  warning: warningRuleSchema,
  signalStyle: z.enum(SIGNAL_STYLES),
  questionsEnabled: z.boolean(),
  /** Pre-moderation: listeners see a question only once the speaker approved it. */
  questionsModeration: z.boolean(),
  recordingEnabled: z.boolean(),
  /** Who presents: the host, or someone the host invites. */
  presenter: z.enum(['me', 'someone_else']),
  /** Discussion mode only (see turns.ts); absent in the other modes. */
  discussion: discussionSettingsSchema.optional(),
  /** Video mode only (see videos.ts); absent in the other modes. */
  video: videoSettingsSchema.optional(),
});
export type SessionSettings = z.infer<typeof sessionSettingsSchema>;

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  anonymous: false,
  graphVisibility: 'all',
  plannedDurationMin: 60,
  warning: { enabled: true, threshold: 2.5, durationSec: 10 },
  signalStyle: 'sticky',
  questionsEnabled: true,
  questionsModeration: false,
  recordingEnabled: false,
  presenter: 'me',
};

export const sessionSettingsPatchSchema = sessionSettingsSchema
  .extend({ warning: warningRuleSchema.partial() })
  .partial()
  .strict();
export type SessionSettingsPatch = z.infer<typeof sessionSettingsPatchSchema>;

export const titleSchema = z.string().trim().min(1).max(200);

export const createSessionBodySchema = z
  .object({
    title: titleSchema,
    mode: z.enum(SESSION_MODES),
    settings: sessionSettingsPatchSchema.optional(),
  })
  .strict();
export type CreateSessionBody = z.infer<typeof createSessionBodySchema>;

export const updateSessionBodySchema = z
  .object({
    title: titleSchema.optional(),
    settings: sessionSettingsPatchSchema.optional(),
    status: z.enum(['live', 'ended']).optional(),
  })
  .strict()
  .refine((b) => b.title !== undefined || b.settings !== undefined || b.status !== undefined, {
    message: 'nothing to change',
  });
export type UpdateSessionBody = z.infer<typeof updateSessionBodySchema>;

/** Join codes (light.ts): 6 characters from an alphabet without look-alikes. */
export { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from './light.js';
export const joinCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), 'a 6-character session code');

export const sessionSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  mode: z.enum(SESSION_MODES),
  status: z.enum(SESSION_STATUSES),
  settings: sessionSettingsSchema,
  joinUrl: z.string(),
  hostUrl: z.string(),
  hostName: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** startedAt + planned duration, when both are known. */
  endsAt: z.string().nullable(),
  participantCount: z.number().int(),
});
export type Session = z.infer<typeof sessionSchema>;

export const sessionListSchema = z.object({ sessions: z.array(sessionSchema) });

/** What anyone holding the code may see before joining. */
export const publicSessionSchema = sessionSchema.pick({
  id: true,
  code: true,
  title: true,
  mode: true,
  status: true,
  hostName: true,
  startedAt: true,
  endsAt: true,
  settings: true,
});
export type PublicSession = z.infer<typeof publicSessionSchema>;

export const displayNameSchema = z.string().trim().min(1).max(40);

export const joinBodySchema = z
  .object({
    code: joinCodeSchema,
    displayName: displayNameSchema,
    anonymous: z.boolean().optional(),
  })
  .strict();
export type JoinBody = z.infer<typeof joinBodySchema>;

export const PARTICIPANT_ROLES = ['listener', 'presenter'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const joinResponseSchema = z.object({
  sessionId: z.string(),
  participantId: z.string(),
  participantToken: z.string(),
  role: z.enum(PARTICIPANT_ROLES),
});
export type JoinResponse = z.infer<typeof joinResponseSchema>;

export const updateMeBodySchema = z.object({ displayName: displayNameSchema }).strict();

/** One listener as others may see them. displayName is null when hidden (anonymous). */
export const participantSchema = z.object({
  participantId: z.string(),
  displayName: z.string().nullable(),
  /** 1-based join order; "Listener #7" labels anonymous participants. */
  ordinal: z.number().int(),
  role: z.enum(PARTICIPANT_ROLES),
  connected: z.boolean(),
  level: z.number().int().min(1).max(5).nullable(),
});
export type Participant = z.infer<typeof participantSchema>;
export const participantListSchema = z.object({ participants: z.array(participantSchema) });

/** GET/PUT /api/sessions/:id/me: the caller's own participant record (their name even when hidden from others). */
export const myParticipantSchema = participantSchema.extend({
  displayName: z.string(),
  anonymous: z.boolean(),
});
export const meResponseSchema = z.object({ participant: myParticipantSchema, session: publicSessionSchema });
export const updateMeResponseSchema = z.object({ participant: myParticipantSchema });
