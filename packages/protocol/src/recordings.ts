import { z } from 'zod';
import { sessionSchema } from './sessions.js';

// ---- recordings ------------------------------------------------------------

/**
 * recording → (stopped by the presenter, or upload idle past the grace period) → processing
 * → ready | failed. A recording never becomes `ready` unless its file is complete in storage.
 */
export const RECORDING_STATUSES = ['recording', 'processing', 'ready', 'failed'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

/** Containers the server accepts. Fragmented MP4 is preferred; WebM is the fallback. */
export const RECORDING_MEDIA_TYPES = ['video/mp4', 'video/webm'] as const;
export type RecordingMediaType = (typeof RECORDING_MEDIA_TYPES)[number];

/** tus endpoint (zod-free: light.ts). */
export { UPLOADS_PATH } from './light.js';
/** `Upload-Metadata` keys naming what an upload belongs to (exactly one per upload). */
export const UPLOAD_METADATA_KEYS = ['recordingId', 'videoId'] as const;
export type UploadMetadataKey = (typeof UPLOAD_METADATA_KEYS)[number];

/**
 * One pause of a recording. Both values are SESSION time (ms since the session started), like
 * `offsetMs`; `resumedAtMs` is null while paused (or when stopped during a pause).
 * Media time of a session time t = t − offsetMs − (paused time before t).
 */
export const recordingPauseSchema = z.object({
  atMs: z.number().int(),
  resumedAtMs: z.number().int().nullable(),
});
export type RecordingPause = z.infer<typeof recordingPauseSchema>;

export const recordingSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  status: z.enum(RECORDING_STATUSES),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Session time (ms since the session started) at which the recording's time 0 lies. */
  offsetMs: z.number().int(),
  /** True media duration (ffprobe) once processed; else the wall time minus pauses. */
  durationMs: z.number().int().nullable(),
  /** Bytes safely stored on the server so far ("saved up to …"). */
  sizeBytes: z.number().int(),
  mediaType: z.enum(RECORDING_MEDIA_TYPES),
  /** Finished by the grace job with what arrived, not by the presenter's last byte. */
  interrupted: z.boolean(),
  /** Signed, expiring URL answering HTTP Range with 206; null until `ready`. */
  mediaUrl: z.string().nullable(),
  pauses: z.array(recordingPauseSchema),
  // ---- additions beyond the contract ----
  /** When `mediaUrl` (and `thumbnailsUrl`) stop working; fetch the list again for fresh ones. */
  mediaUrlExpiresAt: z.string().nullable().optional(),
  /** A JPEG strip of thumbnails side by side (ffmpeg only), signed like `mediaUrl`. */
  thumbnailsUrl: z.string().nullable().optional(),
  /** Media time between two thumbnails of the strip, and how many there are. */
  thumbnailIntervalMs: z.number().int().nullable().optional(),
  thumbnailCount: z.number().int().nullable().optional(),
  /** Why `failed` (e.g. STORAGE_FULL, STORAGE_UNAVAILABLE, EMPTY_UPLOAD). */
  failureReason: z.string().nullable().optional(),
  /** The tus upload carrying the bytes, once the client created it. */
  uploadId: z.string().nullable().optional(),
  /** Bytes the client declared in its final PATCH (`Upload-Length`); null while deferred. */
  declaredBytes: z.number().int().nullable().optional(),
});
export type Recording = z.infer<typeof recordingSchema>;

/** `POST /api/sessions/:id/recordings` — all optional; the server stamps `offsetMs` itself. */
export const createRecordingBodySchema = z
  .object({
    mediaType: z.enum(RECORDING_MEDIA_TYPES).default('video/mp4'),
    /** The MediaRecorder mimeType actually used, e.g. `video/mp4;codecs=avc1,opus` (informative). */
    mimeType: z.string().max(200).optional(),
  })
  .strict();
export type CreateRecordingBody = z.input<typeof createRecordingBodySchema>;

/**
 * `PUT /api/sessions/:id/recordings/:recordingId`.
 * `stopped` — the presenter stopped (the server finishes once every declared byte is in);
 * `paused` — opens a pause at the server's session time; `recording` — resumes (closes it).
 */
export const updateRecordingBodySchema = z
  .object({ status: z.enum(['stopped', 'paused', 'recording']) })
  .strict();
export type UpdateRecordingBody = z.infer<typeof updateRecordingBodySchema>;

export const recordingResponseSchema = z.object({ recording: recordingSchema });
export type RecordingResponse = z.infer<typeof recordingResponseSchema>;
export const recordingListSchema = z.object({ recordings: z.array(recordingSchema) });
export type RecordingList = z.infer<typeof recordingListSchema>;

// ---- archive ---------------------------------------------------------------

/** `none`: the session has no report (yet, or the reports feature is absent). */
export const ARCHIVE_REPORT_STATUSES = ['pending', 'ready', 'failed', 'none'] as const;
export type ArchiveReportStatus = (typeof ARCHIVE_REPORT_STATUSES)[number];

export const archiveEntrySchema = z.object({
  session: sessionSchema,
  recordings: z.array(recordingSchema),
  report: z.object({ status: z.enum(ARCHIVE_REPORT_STATUSES) }),
  /** When the retention job deletes it; null while `keep` is set. */
  expiresAt: z.string().nullable(),
  // ---- additions beyond the contract ----
  /** The host asked to keep it past the retention period. */
  keep: z.boolean(),
  /** endedAt − startedAt (null when it never started). */
  durationMs: z.number().int().nullable(),
  /** Everyone who joined (listeners and presenters). */
  participants: z.number().int(),
  /** Mean of the stored per-second averages; null without signals. */
  avg: z.number().nullable(),
});
export type ArchiveEntry = z.infer<typeof archiveEntrySchema>;

/** `GET /api/archive` — the caller's ended sessions, newest first. */
export const archiveListSchema = z.object({ sessions: z.array(archiveEntrySchema) });
export type ArchiveList = z.infer<typeof archiveListSchema>;

/** `PUT /api/archive/:sessionId` (host) — keep past retention, or let it expire again. */
export const updateArchiveBodySchema = z.object({ keep: z.boolean() }).strict();
export type UpdateArchiveBody = z.infer<typeof updateArchiveBodySchema>;
export const archiveEntryResponseSchema = z.object({ entry: archiveEntrySchema });

// ---- WebSocket (server → speakers) ------------------------------------------

export const recordingStatusMessageSchema = z.object({
  type: z.literal('recording:status'),
  recording: recordingSchema,
});
export type RecordingStatusMessage = z.infer<typeof recordingStatusMessageSchema>;
