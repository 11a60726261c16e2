import { AppError, conflict } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import { isUuid } from '../sessions/sessions-view.js';
import type { RecordingsRepo } from './recordings-repo.js';
import { recordingFinished, recordingNotFound, type RecordingsService } from './recordings-service.js';
import type { UploadTarget } from './uploads-routes.js';

export interface RecordingTargetDeps {
  repo: RecordingsRepo;
  recordings: RecordingsService;
  guards: Guards;
  /** RECORDING_MAX_DURATION_MIN */
  maxDurationMin: number;
}

/**
 * The tus endpoint's `recordingId` target: who may start, resume or cancel a recording's upload
 * (the session's speaker, while it is live and the recording open), and what each byte changes.
 */
export function recordingUploadTarget({
  repo,
  recordings,
  guards,
  maxDurationMin,
}: RecordingTargetDeps): UploadTarget {
  const maxDurationMs = maxDurationMin * 60_000;
  return {
    async authorizeCreate(req, recordingId) {
      const row = isUuid(recordingId) ? await repo.find(recordingId) : undefined;
      if (!row) throw recordingNotFound();
      const caller = await guards.requireSpeaker(req, row.session_id);
      if (caller.session.status !== 'live')
        throw conflict('SESSION_NOT_LIVE', 'Uploads start while the session is live.');
      if (row.status !== 'recording' || row.ended_at) throw recordingFinished();
      if (row.upload_id)
        throw conflict('UPLOAD_EXISTS', 'This recording already has its upload; resume that one (HEAD).');
      return { attach: (uploadId) => recordings.attachUpload(row, uploadId) };
    },
    async authorizeExisting(req, uploadId, method) {
      const row = await repo.findByUpload(uploadId);
      if (!row) return null;
      const caller = await guards.requireSpeaker(req, row.session_id);
      // an upload already started may finish after the session ended (nothing recorded is lost)
      if (method === 'PATCH') {
        if (row.status !== 'recording') throw recordingFinished();
        if (recordings.elapsedMs(row, caller.session) > maxDurationMs + 60_000)
          throw new AppError(
            413,
            'RECORDING_TOO_LONG',
            `Recordings are limited to ${maxDurationMin} minutes; stop and start a new one.`,
          );
      }
      if (method === 'DELETE' && row.status !== 'recording') throw recordingFinished();
      return { found: true };
    },
    written: (uploadId, offset) => recordings.bytesWritten(uploadId, offset),
    complete: (uploadId, size) => recordings.uploadComplete(uploadId, size),
    async terminated(uploadId) {
      const row = await repo.findByUpload(uploadId);
      if (!row || row.status !== 'recording') return;
      const updated = await repo.update(
        row.id,
        { upload_id: null, size_bytes: 0 },
        { status: ['recording'] },
      );
      if (updated) recordings.publish(updated);
    },
  };
}
