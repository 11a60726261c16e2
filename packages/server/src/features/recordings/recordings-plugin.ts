import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { AppError, conflict } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import { loadOrCreateSecret } from '../../platform/crypto.js';
import type { Database } from '../../platform/db-schema.js';
import type { Locks } from '../../platform/locks.js';
import { sseParams } from '../../platform/storage-s3.js';
import type { Storage } from '../../platform/storage.js';
import type { Hub } from '../../realtime/hub.js';
import type { SessionsService } from '../sessions/sessions-service.js';
import { isUuid } from '../sessions/sessions-service.js';
import { defineFeature, type FeatureApp } from '../../http/feature.js';
import { createMediaSigner } from './media-signing.js';
import { detectMediaTools, type MediaTools } from './media-tools.js';
import { createFinisher } from './recordings-finish.js';
import { createRecordingsRepo, type RecordingRow } from './recordings-repo.js';
import { registerMediaRoutes, registerRecordingRoutes } from './recordings-routes.js';
import {
  createRecordingsService,
  mediaKeyOf,
  recordingFinished,
  recordingNotFound,
  thumbsKeyOf,
} from './recordings-service.js';
import { DurableFileStore, DurableS3Store, LeaseLocker, type TusStore } from './tus-stores.js';
import { registerUploadRoutes, type UploadTarget } from './uploads-routes.js';

export interface RecordingsFeatureDeps {
  config: Config;
  db: Kysely<Database>;
  hub: Hub;
  sessions: SessionsService;
  storage: Storage;
  locks: Locks;
  distributed: boolean;
  instanceId: string;
  log: Logger;
  /** tests pass a pre-detected (or disabled) toolset */
  tools?: MediaTools;
}

declare module 'fastify' {
  interface FastifyInstance {
    recordings: RecordingsFeature;
  }
}

/**
 * Recordings: routes, tus uploads, signed media, the grace job (`recording-finish-scan`). Deleting
 * a session first deletes its recordings' files (platform/owned-files.ts, on `session.deleting`).
 */
export const recordingsFeature = defineFeature(
  {
    name: 'recordings',
    needs: [
      'config',
      'db',
      'hub',
      'sessions',
      'storage',
      'ownedFiles',
      'locks',
      'guards',
      'jobs',
      'events',
      'logger',
    ],
  },
  async (app) => {
    const recordings = await createRecordingsFeature({
      config: app.config,
      db: app.db.kysely,
      hub: app.hub,
      sessions: app.sessions,
      storage: app.storage,
      locks: app.locks,
      distributed: app.distributed,
      instanceId: app.instanceId,
      log: app.logger,
    });
    app.decorate('recordings', recordings);
    recordings.registerRoutes(app, app.guards);
    app.jobs.register({
      name: 'recording-finish-scan',
      everyMs: recordings.scanEveryMs,
      leaseMs: 10 * 60_000,
      run: async () => `recordings: ${await recordings.finisher.scan()} finished after their grace`,
    });
    // `recordings/<sessionId>/` is an owned-files family; the tus uploads (keyed by upload id) are
    // the recordings' own step of deleting a session (platform/owned-files.ts)
    app.ownedFiles.registerDeleter('session', 'recordings', (sessionId) =>
      recordings.removeSessionMedia(sessionId),
    );
    // a presenter who erases themselves leaves no link on the recordings they started
    app.events.on('participant.erasing', async ({ participantId }) => {
      await app.db.kysely
        .updateTable('recordings')
        .set({ created_by_participant_id: null })
        .where('created_by_participant_id', '=', participantId)
        .execute();
    });
    app.addHook('onClose', async () => recordings.close());
  },
);

/** The feature's parts, built from explicit deps (tests build one without Fastify). */
export async function createRecordingsFeature(deps: RecordingsFeatureDeps) {
  const { config, log } = deps;
  const repo = createRecordingsRepo(deps.db);
  const signer = createMediaSigner(
    loadOrCreateSecret(config.DATA_DIR, 'media-url-secret', config.MEDIA_URL_SECRET),
    config.MEDIA_URL_TTL_SEC,
  );
  const tools =
    deps.tools ??
    (await detectMediaTools({
      mode: config.RECORDING_FFMPEG,
      ffmpeg: config.FFMPEG_PATH,
      ffprobe: config.FFPROBE_PATH,
    }));

  let onWritten: (storeId: string, offset: number) => Promise<void> = async () => {};
  const written = (id: string, offset: number) => onWritten(id, offset);
  const s3 = config.STORAGE_BACKEND === 's3';
  const idPrefix = s3
    ? `${config.S3_PREFIX ? config.S3_PREFIX.replace(/^\/+|\/+$/g, '') + '/' : ''}uploads/`
    : '';
  const store: TusStore = s3
    ? new DurableS3Store(
        {
          bucket: config.S3_BUCKET!,
          region: config.S3_REGION,
          ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
          forcePathStyle: config.S3_FORCE_PATH_STYLE,
          ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
            ? {
                credentials: {
                  accessKeyId: config.S3_ACCESS_KEY_ID,
                  secretAccessKey: config.S3_SECRET_ACCESS_KEY,
                },
              }
            : {}),
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        },
        sseParams(config) as Record<string, string>,
        written,
        config.RECORDING_MAX_BYTES,
      )
    : new DurableFileStore(path.join(config.DATA_DIR, 'uploads'), written);
  const storeIdOf = (uploadId: string) => idPrefix + uploadId;

  async function removeMedia(row: RecordingRow): Promise<void> {
    await deps.storage.delete(mediaKeyOf(row));
    await deps.storage.delete(thumbsKeyOf(row));
    if (row.upload_id) {
      await store.remove(storeIdOf(row.upload_id)).catch((e: { status_code?: number }) => {
        if (e?.status_code !== 404) throw e; // already gone is fine
      });
    }
  }

  // eslint-disable-next-line prefer-const
  let finisher: ReturnType<typeof createFinisher>;
  const recordings = createRecordingsService({
    repo,
    hub: deps.hub,
    signer,
    log,
    maxDurationMs: config.RECORDING_MAX_DURATION_MIN * 60_000,
    removeMedia,
    finishSoon: (row) => finisher.finishSoon(row),
  });
  finisher = createFinisher({
    repo,
    recordings,
    sessions: deps.sessions,
    storage: deps.storage,
    tus: store,
    storeIdOf,
    tools,
    locks: deps.locks,
    instanceId: deps.instanceId,
    tmpDir: path.join(config.DATA_DIR, 'tmp', 'recordings'),
    graceMs: config.RECORDING_GRACE_SEC * 1000,
    log,
  });
  const maxDurationMs = config.RECORDING_MAX_DURATION_MIN * 60_000;

  function recordingTarget(guards: Guards): UploadTarget {
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
              `Recordings are limited to ${config.RECORDING_MAX_DURATION_MIN} minutes; stop and start a new one.`,
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

  return {
    service: recordings,
    /** the grace job's period: RECORDING_GRACE_SEC/4, 1–30 s */
    scanEveryMs: Math.max(1000, Math.min(30_000, (config.RECORDING_GRACE_SEC * 1000) / 4)),
    finisher,
    tools,
    store,
    registerRoutes(app: FeatureApp, guards: Guards) {
      registerRecordingRoutes(app, { guards, recordings });
      registerMediaRoutes(app, { repo, signer, storage: deps.storage });
      const uploads = registerUploadRoutes(app, {
        store,
        idPrefix,
        targets: { recordingId: recordingTarget(guards) },
        maxBytes: config.RECORDING_MAX_BYTES,
        locker: deps.distributed ? new LeaseLocker(deps.locks, deps.instanceId) : undefined,
        trustProxy: config.TRUST_PROXY,
        log,
      });
      onWritten = (storeId, offset) => uploads.written(storeId, offset);
    },
    /** Every file a session's recordings own (retention, session deletion). */
    async removeSessionMedia(sessionId: string) {
      for (const row of await repo.listOfSession(sessionId)) await removeMedia(row);
      await deps.storage.deletePrefix(`recordings/${sessionId}/`);
    },
    async close() {
      await finisher.idle();
    },
  };
}
export type RecordingsFeature = Awaited<ReturnType<typeof createRecordingsFeature>>;
