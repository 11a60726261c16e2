import { z } from 'zod';

// ---- Video-watching mode (`mode: "video"`) ----------------------------------------------------
// Contract: docs/api.md "Video-watching mode". Server: packages/server/src/features/videos.

/** Who drives the playback / who brings the video: the host, or someone the host invites. */
export const VIDEO_ROLE_CHOICES = ['me', 'someone_else'] as const;
export type VideoRoleChoice = (typeof VIDEO_ROLE_CHOICES)[number];

/**
 * `settings.video` of a video session. `videoId` may stay null until the invited provider picks
 * or uploads the video; starting the session (status `live`) without one is refused (400).
 * facilitator `me`: the host drives; `someone_else`: an invited presenter drives (the host always may).
 */
export const videoSettingsSchema = z
  .object({
    videoId: z.string().uuid().nullable().default(null),
    facilitator: z.enum(VIDEO_ROLE_CHOICES).default('me'),
    provider: z.enum(VIDEO_ROLE_CHOICES).default('me'),
  })
  .strict();
export type VideoSettings = z.infer<typeof videoSettingsSchema>;

export const VIDEO_SOURCES = ['url', 'upload'] as const;
export type VideoSource = (typeof VIDEO_SOURCES)[number];
/** uploading (waiting for / receiving the tus upload) → processing (ffprobe) → ready | failed. */
export const VIDEO_STATUSES = ['uploading', 'processing', 'ready', 'failed'] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];
/** Containers accepted for uploads and direct URLs (HLS by `.m3u8`). */
export const VIDEO_MEDIA_TYPES = ['video/mp4', 'video/webm', 'application/vnd.apple.mpegurl'] as const;
export type VideoMediaType = (typeof VIDEO_MEDIA_TYPES)[number];
/** Largest upload accepted (bytes). */
export const VIDEO_MAX_BYTES = 2 * 1024 * 1024 * 1024;
export const VIDEO_TITLE_MAX = 200;

export const videoSchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.enum(VIDEO_SOURCES),
  /** The direct media URL (source `url`); null for uploads. */
  url: z.string().nullable(),
  /** ffprobe's duration for uploads (null when ffprobe is absent: the browser reads it); null for URLs. */
  durationMs: z.number().int().nullable(),
  /** What to play: the URL itself (source `url`), or a signed, expiring URL answering Range (uploads, once ready). */
  mediaUrl: z.string().nullable(),
  status: z.enum(VIDEO_STATUSES),
  // ---- additions beyond the contract ----
  sizeBytes: z.number().int().nullable(),
  mediaType: z.string().nullable(),
  createdAt: z.string(),
  /** Sessions (not deleted) naming this video; > 0 → DELETE answers 409 VIDEO_IN_USE. */
  usedBy: z.number().int(),
  /** When an upload's signed `mediaUrl` stops working; fetch again for a fresh one. */
  mediaUrlExpiresAt: z.string().nullable().optional(),
  /** Why `failed` (e.g. NOT_A_VIDEO, TOO_LARGE, STORAGE_UNAVAILABLE). */
  failureReason: z.string().nullable().optional(),
});
export type Video = z.infer<typeof videoSchema>;

const httpUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'an http(s) URL');

/**
 * `POST /api/videos` (speaker). With `url`: a direct media URL (mp4 / webm / m3u8 by extension,
 * or `mediaType` declared). Without: an upload follows by tus (`Upload-Metadata: videoId <b64>,filetype <b64>`).
 * With `sessionId` (provider "someone_else"): the session's invited presenter (participant token)
 * or its host adds the video for that session: it goes to the host's library and becomes the
 * session's `settings.video.videoId`.
 */
export const createVideoBodySchema = z
  .object({
    title: z.string().trim().min(1).max(VIDEO_TITLE_MAX),
    sessionId: z.string().uuid().optional(),
    url: httpUrlSchema.optional(),
    mediaType: z.enum(VIDEO_MEDIA_TYPES).optional(),
    /** Upload only: the file's size (checked against the limit before any byte is sent). */
    sizeBytes: z.number().int().min(1).optional(),
    /** URL only: the duration read by the browser (the server cannot probe a remote URL). */
    durationMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600 * 1000)
      .optional(),
  })
  .strict();
export type CreateVideoBody = z.infer<typeof createVideoBodySchema>;

/** `PUT /api/videos/:videoId` (owner): rename, or give the duration the browser read (uploads without ffprobe, URLs). */
export const updateVideoBodySchema = z
  .object({
    title: z.string().trim().min(1).max(VIDEO_TITLE_MAX).optional(),
    durationMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600 * 1000)
      .optional(),
  })
  .strict();
export type UpdateVideoBody = z.infer<typeof updateVideoBodySchema>;

export const videoResponseSchema = z.object({ video: videoSchema });
/** `GET /api/sessions/:id/video` (anyone of the session): the session's video (signed mediaUrl), or null. */
export const sessionVideoResponseSchema = z.object({ video: videoSchema.nullable() });
/** `PUT /api/sessions/:id/video` (host, or the presenter when provider is someone_else): pick a video. */
export const setSessionVideoBodySchema = z.object({ videoId: z.string().uuid() }).strict();
export const videoListSchema = z.object({ videos: z.array(videoSchema) });

/** One point of a cohort's curve: t = video position (ms, per second of video). */
export const videoPointSchema = z.object({ t: z.number(), avg: z.number(), n: z.number().int() });
export type VideoPoint = z.infer<typeof videoPointSchema>;

export const cohortSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  startedAt: z.string().nullable(),
  participants: z.number().int(),
  points: z.array(videoPointSchema),
  /** mean of the cohort's per-second averages (the dip rule's reference); null without points */
  avg: z.number().nullable().optional(),
});
export type Cohort = z.infer<typeof cohortSchema>;

/**
 * A minute of the video where EVERY cohort that has signals in it is below its own mean minus
 * 0.25 OR below the session's warning threshold (and at least one cohort has signals there).
 * Consecutive minutes are merged. `avg`: the mean of the cohorts' minute averages.
 */
export const videoDipSchema = z.object({
  startMs: z.number().int(),
  endMs: z.number().int(),
  avg: z.number(),
  cohorts: z.number().int(),
});
export type VideoDip = z.infer<typeof videoDipSchema>;

export const cohortsResponseSchema = z.object({
  cohorts: z.array(cohortSchema),
  dips: z.array(videoDipSchema),
});
export type CohortsResponse = z.infer<typeof cohortsResponseSchema>;

// ---- WebSocket ---------------------------------------------------------------------------------

export const VIDEO_CONTROL_ACTIONS = ['play', 'pause', 'seek', 'rate'] as const;
export type VideoControlAction = (typeof VIDEO_CONTROL_ACTIONS)[number];
export const VIDEO_RATE_MIN = 0.25;
export const VIDEO_RATE_MAX = 4;
const positionMsSchema = z
  .number()
  .min(0)
  .max(24 * 3600 * 1000);

/** client → server, facilitator (or host) only; anyone else gets `error {code: FORBIDDEN}`. */
export const videoControlMessageSchema = z
  .object({
    type: z.literal('video:control'),
    action: z.enum(VIDEO_CONTROL_ACTIONS),
    positionMs: positionMsSchema,
    rate: z.number().min(VIDEO_RATE_MIN).max(VIDEO_RATE_MAX).optional(),
  })
  .strict();
export type VideoControlMessage = z.infer<typeof videoControlMessageSchema>;

export const VIEWER_STATES = ['needs_tap', 'loading', 'ready', 'playing', 'buffering', 'paused'] as const;
export type ViewerState = (typeof VIEWER_STATES)[number];

/** client → server, listeners: own player state; on change and every ~2 s. Never moves the group. */
export const videoViewerMessageSchema = z
  .object({
    type: z.literal('video:viewer'),
    state: z.enum(VIEWER_STATES),
    positionMs: positionMsSchema,
  })
  .strict();
export type VideoViewerMessage = z.infer<typeof videoViewerMessageSchema>;

/**
 * server → everyone: once right after `welcome` and on each change. While `playing`, the position
 * now is `positionMs + (now − serverTime) × rate` (now on the server's clock: ping/pong).
 * `seq` only grows (per session, across instances and restarts). `durationMs` when known.
 */
export const videoStateMessageSchema = z.object({
  type: z.literal('video:state'),
  playing: z.boolean(),
  positionMs: z.number(),
  rate: z.number(),
  serverTime: z.number(),
  seq: z.number().int(),
  // ---- additions ----
  videoId: z.string().nullable().optional(),
  durationMs: z.number().int().nullable().optional(),
  /** the state ended because the position reached the video's end */
  ended: z.boolean().optional(),
});
export type VideoStateMessage = z.infer<typeof videoStateMessageSchema>;

export const videoViewerEntrySchema = z.object({
  participantId: z.string(),
  /** null when the session or the listener is anonymous */
  name: z.string().nullable(),
  state: z.enum(VIEWER_STATES),
  positionMs: z.number(),
  /** positionMs minus where the group is at `at` (negative: behind) */
  driftMs: z.number(),
  /** server time (epoch ms) of the report */
  at: z.number(),
});
export type VideoViewerEntry = z.infer<typeof videoViewerEntrySchema>;

/** server → host and presenters: the viewers' sync states, at most once a second, all instances merged. */
export const videoViewersMessageSchema = z.object({
  type: z.literal('video:viewers'),
  viewers: z.array(videoViewerEntrySchema),
  /** viewers in state ready / playing / paused (able to play now) */
  ready: z.number().int(),
  total: z.number().int(),
});
export type VideoViewersMessage = z.infer<typeof videoViewersMessageSchema>;

// ---- Report (video sessions) -------------------------------------------------------------------

/**
 * The report's `video` section (video sessions only; absent otherwise): every showing of the
 * video as a cohort on the video's own time (this one flagged `current`), and the dips.
 * Points are per `stepMs` of video (averaged, n = the most viewers counted in the step).
 */
export const reportVideoSectionSchema = z.object({
  videoId: z.string(),
  title: z.string(),
  durationMs: z.number().int().nullable(),
  stepMs: z.number().int(),
  cohorts: z.array(cohortSchema.extend({ current: z.boolean() })),
  dips: z.array(videoDipSchema),
  /** signals given while the video was paused (not in the points) */
  pausedSignals: z.number().int(),
});
export type ReportVideoSection = z.infer<typeof reportVideoSectionSchema>;
