import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Guards } from '../../http/caller.js';
import { defineFeature, type FeatureApp } from '../../http/feature.js';
import { loadOrCreateSecret } from '../../platform/crypto.js';
import type { Database } from '../../platform/db-schema.js';
import type { Locks } from '../../platform/locks.js';
import type { Storage } from '../../platform/storage.js';
import type { Hub } from '../../realtime/hub.js';
import type { SessionsService } from '../sessions/sessions-service.js';
import { createMediaSigner, type MediaSigner } from './media-signing.js';
import { detectMediaTools, type MediaTools } from './media-tools.js';
import { recordingUploadTarget } from './recording-upload-target.js';
import { createFinisher } from './recordings-finish.js';
import { createRecordingsRepo, type RecordingRow } from './recordings-repo.js';
import { registerMediaRoutes, registerRecordingRoutes } from './recordings-routes.js';
import { createRecordingsService, mediaKeyOf, thumbsKeyOf } from './recordings-service.js';
import { LeaseLocker } from './tus-stores.js';
import { createUploadStore } from './upload-store.js';
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
    /** The tus endpoint's plug points, for features whose files arrive by tus (videos, materials). */
    uploads: Uploads;
  }
}

/**
 * What `app.uploads` offers: register a target for an `Upload-Metadata` key, and reach the bytes of
 * a finished upload (a local file; S3 uploads are assembled and fetched) to move them to storage.
 */
export interface Uploads {
  addTarget(key: string, target: UploadTarget): void;
  /** The finished upload as a local file (under `workDir` when it had to be fetched). */
  localFile(uploadId: string, workDir: string): Promise<string>;
  /** Deletes the upload's bytes from the tus store (already gone is fine). */
  remove(uploadId: string): Promise<void>;
  /** ffmpeg/ffprobe, when present (RECORDING_FFMPEG). */
  tools: MediaTools;
  /** Signs `/api/media/…` URLs with the shared media secret (MEDIA_URL_TTL_SEC). */
  signer: MediaSigner;
  /** The tus endpoint's byte limit (RECORDING_MAX_BYTES). */
  maxBytes: number;
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
    app.decorate('uploads', recordings.registerRoutes(app, app.guards));
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
  const { store, idPrefix, storeIdOf, remove: removeUpload, localFile } = createUploadStore(config, written);

  async function removeMedia(row: RecordingRow): Promise<void> {
    await deps.storage.delete(mediaKeyOf(row));
    await deps.storage.delete(thumbsKeyOf(row));
    if (row.upload_id) await removeUpload(row.upload_id);
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

  return {
    service: recordings,
    /** the grace job's period: RECORDING_GRACE_SEC/4, 1–30 s */
    scanEveryMs: Math.max(1000, Math.min(30_000, (config.RECORDING_GRACE_SEC * 1000) / 4)),
    finisher,
    tools,
    store,
    registerRoutes(app: FeatureApp, guards: Guards): Uploads {
      registerRecordingRoutes(app, { guards, recordings });
      registerMediaRoutes(app, { repo, signer, storage: deps.storage });
      const uploads = registerUploadRoutes(app, {
        store,
        idPrefix,
        targets: {
          recordingId: recordingUploadTarget({
            repo,
            recordings,
            guards,
            maxDurationMin: config.RECORDING_MAX_DURATION_MIN,
          }),
        },
        maxBytes: config.RECORDING_MAX_BYTES,
        locker: deps.distributed ? new LeaseLocker(deps.locks, deps.instanceId) : undefined,
        trustProxy: config.TRUST_PROXY,
        log,
      });
      onWritten = (storeId, offset) => uploads.written(storeId, offset);
      return {
        addTarget: uploads.addTarget,
        localFile,
        remove: removeUpload,
        tools,
        signer,
        maxBytes: config.RECORDING_MAX_BYTES,
      };
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
