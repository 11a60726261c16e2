import type { Recording, RecordingPause } from '@rstream/protocol';
import { toNumber } from '../../platform/db-schema.js';
import type { MediaSigner } from './media-signing.js';
import type { RecordingRow } from './recordings-repo.js';

export const mediaPath = (recordingId: string) => `/api/media/recordings/${recordingId}`;
export const thumbnailsPath = (recordingId: string) => `/api/media/recordings/${recordingId}/thumbnails`;

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function readPauses(raw: unknown): RecordingPause[] {
  const v = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return Array.isArray(v) ? (v as RecordingPause[]) : [];
}

/** Paused time (ms) up to session time `untilMs` (an open pause counts up to it). */
export function pausedMs(pauses: RecordingPause[], untilMs: number): number {
  let total = 0;
  for (const p of pauses) {
    const end = Math.min(p.resumedAtMs ?? untilMs, untilMs);
    if (end > p.atMs) total += end - p.atMs;
  }
  return total;
}

/** The contract's recording; `mediaUrl` is signed afresh on every read (it expires). */
export function toRecording(row: RecordingRow, signer: MediaSigner): Recording {
  const ready = row.status === 'ready' && row.storage_key !== null;
  const media = ready ? signer.url(mediaPath(row.id)) : null;
  const thumbs = ready && row.thumbs_key ? signer.url(thumbnailsPath(row.id)) : null;
  return {
    id: row.id,
    sessionId: row.session_id,
    status: row.status,
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: iso(row.ended_at),
    offsetMs: toNumber(row.offset_ms),
    durationMs: row.duration_ms === null ? null : toNumber(row.duration_ms),
    sizeBytes: toNumber(row.size_bytes),
    mediaType: row.media_type,
    interrupted: row.interrupted,
    mediaUrl: media?.url ?? null,
    pauses: readPauses(row.pauses),
    mediaUrlExpiresAt: media ? media.expiresAt.toISOString() : null,
    thumbnailsUrl: thumbs?.url ?? null,
    thumbnailIntervalMs: row.thumb_interval_ms,
    thumbnailCount: row.thumb_count,
    failureReason: row.failure_reason,
    uploadId: row.upload_id,
    declaredBytes: row.declared_bytes === null ? null : toNumber(row.declared_bytes),
  };
}
