import { randomUUID } from 'node:crypto';
import type { CreateRecordingBody, Recording, RecordingPause } from '@rstream/protocol';
import type { Logger } from 'pino';
import { AppError, conflict } from '../../errors.js';
import type { SessionCaller } from '../../http/caller.js';
import type { Hub } from '../../realtime/hub.js';
import type { SessionRow } from '../sessions/sessions-repo.js';
import { isUuid } from '../sessions/sessions-view.js';
import type { MediaSigner } from './media-signing.js';
import type { RecordingRow, RecordingsRepo } from './recordings-repo.js';
import { pausedMs, readPauses, toRecording } from './recordings-view.js';

export const recordingNotFound = () =>
  new AppError(404, 'RECORDING_NOT_FOUND', 'No such recording in this session.');
const sessionNotLive = () =>
  conflict('SESSION_NOT_LIVE', 'Recordings are made while the session is live; start the session first.');
export const recordingFinished = () =>
  conflict('RECORDING_FINISHED', 'This recording is finished; start a new one to record more.');

/** Media keys: `recordings/<sessionId>/<recordingId>.<mp4|webm>`, the thumbnail strip beside it. */
export const mediaKeyOf = (row: Pick<RecordingRow, 'session_id' | 'id' | 'media_type'>) =>
  `recordings/${row.session_id}/${row.id}.${row.media_type === 'video/webm' ? 'webm' : 'mp4'}`;
export const thumbsKeyOf = (row: Pick<RecordingRow, 'session_id' | 'id'>) =>
  `recordings/${row.session_id}/${row.id}.thumbs.jpg`;

const sessionMs = (session: SessionRow, at = Date.now()) =>
  session.started_at ? Math.max(0, at - new Date(session.started_at).getTime()) : 0;

export interface RecordingsServiceDeps {
  repo: RecordingsRepo;
  hub: Hub;
  signer: MediaSigner;
  log: Logger;
  maxDurationMs: number;
  /** Removes a recording's media and upload (set by the feature, which owns the stores). */
  removeMedia(row: RecordingRow): Promise<void>;
  /** Starts finishing a recording whose bytes are all in (runs once across instances). */
  finishSoon(row: RecordingRow): void;
}

export function createRecordingsService(deps: RecordingsServiceDeps) {
  const { repo, hub, signer } = deps;

  const view = (row: RecordingRow): Recording => toRecording(row, signer);
  /** Every change reaches the speakers of every instance (the hub publishes through the bus). */
  const publish = (row: RecordingRow) =>
    hub.broadcast(row.session_id, { type: 'recording:status', recording: view(row) }, 'speakers');

  async function load(session: SessionRow, recordingId: string): Promise<RecordingRow> {
    const row = isUuid(recordingId) ? await repo.find(recordingId) : undefined;
    if (!row || row.session_id !== session.id) throw recordingNotFound();
    return row;
  }

  return {
    view,
    publish,
    load,

    async create(
      caller: SessionCaller,
      body: Required<Pick<CreateRecordingBody, 'mediaType'>> & CreateRecordingBody,
    ) {
      const session = caller.session;
      if (session.status !== 'live') throw sessionNotLive();
      const active = await repo.findActive(session.id);
      if (active)
        throw conflict(
          'RECORDING_IN_PROGRESS',
          'A recording of this session is running; stop it before starting another.',
        );
      const now = new Date();
      const row = await repo.insert({
        id: randomUUID(),
        session_id: session.id,
        media_type: body.mediaType,
        mime_type: body.mimeType ?? null,
        started_at: now,
        offset_ms: sessionMs(session, now.getTime()),
        created_by_user_id: caller.kind === 'host' ? caller.claims.userId : null,
        created_by_participant_id: caller.kind === 'participant' ? caller.participant.id : null,
      });
      publish(row);
      return view(row);
    },

    /** stopped | paused | recording (resume), stamped with the server's session time. */
    async setStatus(session: SessionRow, recordingId: string, status: 'stopped' | 'paused' | 'recording') {
      const row = await load(session, recordingId);
      // a repeated stop (or one after the last byte arrived) is harmless
      if (status === 'stopped' && row.ended_at) return view(row);
      if (row.status !== 'recording') throw recordingFinished();
      const nowMs = sessionMs(session);
      const pauses: RecordingPause[] = readPauses(row.pauses);
      const open = pauses.at(-1)?.resumedAtMs === null ? pauses.at(-1) : undefined;
      if (row.ended_at) throw recordingFinished();
      const patch: Parameters<RecordingsRepo['update']>[1] = {};
      if (status === 'paused') {
        if (open) return view(row);
        pauses.push({ atMs: nowMs, resumedAtMs: null });
        patch.pauses = JSON.stringify(pauses);
      } else if (status === 'recording') {
        if (!open) return view(row);
        open.resumedAtMs = Math.max(open.atMs, nowMs);
        patch.pauses = JSON.stringify(pauses);
      } else {
        patch.ended_at = new Date();
        // a pause still open when stopping ends with the recording
        if (open) {
          open.resumedAtMs = Math.max(open.atMs, nowMs);
          patch.pauses = JSON.stringify(pauses);
        }
      }
      const updated = await repo.update(row.id, patch, { status: ['recording'] });
      if (!updated) throw recordingFinished();
      publish(updated);
      if (status === 'stopped' && updated.upload_complete) deps.finishSoon(updated);
      return view(updated);
    },

    async list(session: SessionRow): Promise<Recording[]> {
      return (await repo.listOfSession(session.id)).map(view);
    },

    /** Recordings of many sessions (archive), by session id. */
    async listOfSessions(sessionIds: string[]): Promise<Map<string, Recording[]>> {
      const out = new Map<string, Recording[]>();
      for (const row of await repo.listOfSessions(sessionIds)) {
        const list = out.get(row.session_id) ?? [];
        list.push(view(row));
        out.set(row.session_id, list);
      }
      return out;
    },

    /** The host deletes one: media first (nothing left behind), then the row. */
    async remove(session: SessionRow, recordingId: string): Promise<void> {
      const row = await load(session, recordingId);
      await deps.removeMedia(row);
      await repo.delete(row.id);
    },

    /** Recording time so far (wall time minus pauses), for the duration limit. */
    elapsedMs(row: RecordingRow, session: SessionRow): number {
      const end = row.ended_at ? new Date(row.ended_at).getTime() : Date.now();
      const wall = end - new Date(row.started_at).getTime();
      return wall - pausedMs(readPauses(row.pauses), sessionMs(session, end));
    },

    // ---- the upload side (tus hooks) ----

    /** The first upload of a recording claims it; a second one is refused. */
    async attachUpload(row: RecordingRow, uploadId: string): Promise<void> {
      const updated = await repo.update(
        row.id,
        { upload_id: uploadId, last_byte_at: new Date() },
        { status: ['recording'], uploadIdNull: true },
      );
      if (!updated)
        throw conflict('UPLOAD_EXISTS', 'This recording already has its upload; resume that one (HEAD).');
      publish(updated);
    },

    async bytesWritten(uploadId: string, offset: number): Promise<void> {
      const row = await repo.findByUpload(uploadId);
      if (!row || row.status !== 'recording') return;
      const updated = await repo.update(row.id, { size_bytes: offset, last_byte_at: new Date() });
      if (updated) publish(updated);
    },

    /** The final PATCH declared the length and every byte is in. */
    async uploadComplete(uploadId: string, size: number): Promise<void> {
      const row = await repo.findByUpload(uploadId);
      if (!row || row.status !== 'recording') return;
      const updated = await repo.update(
        row.id,
        {
          upload_complete: true,
          declared_bytes: size,
          size_bytes: size,
          last_byte_at: new Date(),
          ended_at: row.ended_at ?? new Date(),
        },
        { status: ['recording'] },
      );
      if (updated) {
        publish(updated);
        deps.finishSoon(updated);
      }
    },
  };
}
export type RecordingsService = ReturnType<typeof createRecordingsService>;
