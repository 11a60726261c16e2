import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import {
  MATERIALS_PER_SESSION_MAX,
  type CreateMaterialRequest,
  type Material,
  type ServerMessage,
} from '@rstream/protocol';
import type { FastifyRequest } from 'fastify';
import { AppError, conflict, notFound } from '../../errors.js';
import type { Storage } from '../../platform/storage.js';
import type { SessionRow } from '../sessions/sessions-repo.js';
import { isUuid } from '../sessions/sessions-view.js';
import type { Uploads } from '../recordings/recordings-plugin.js';
import type { UploadTarget } from '../recordings/uploads-routes.js';
import type { MaterialRow, MaterialsRepo } from './materials-repo.js';
import type { Logger } from 'pino';
import type { Audience } from '../../realtime/cluster-sync.js';

export interface MaterialsDeps {
  repo: MaterialsRepo;
  storage: Storage;
  uploads: Pick<Uploads, 'localFile' | 'remove' | 'signer'>;
  /** the host or a presenter of the session (throws otherwise) */
  requireSpeaker: (req: FastifyRequest, sessionId: string) => Promise<unknown>;
  tmpDir: string;
  log: Logger;
  /** live fan-out to the session's sockets (every instance) */
  broadcast: (sessionId: string, message: ServerMessage, audience: Audience) => void;
}

export const materialPath = (id: string) => `/api/media/materials/${id}`;
const keyOf = (row: MaterialRow) => `materials/${row.session_id}/${row.id}`;
const materialNotFound = () => notFound('No such material in this session.');
const storageDown = (err: unknown) =>
  new AppError(
    503,
    'STORAGE_UNAVAILABLE',
    'The file storage is not answering; nothing was deleted. Try again.',
    {
      cause: err instanceof Error ? err.message : String(err),
    },
  );

/**
 * Discussion materials that are files: a row made first (title, name, type, declared size), the
 * bytes by tus (`Upload-Metadata: materialId`), moved to storage when complete, shown to everyone
 * with a signed download URL. Files go before rows: a storage failure refuses the deletion.
 */
export function createMaterialsService(deps: MaterialsDeps) {
  const { repo, storage } = deps;

  function view(row: MaterialRow): Material {
    return {
      id: row.id,
      sessionId: row.session_id,
      title: row.title,
      fileName: row.file_name,
      mediaType: row.media_type,
      sizeBytes: Number(row.size_bytes),
      status: row.status,
      createdAt: new Date(row.created_at).toISOString(),
      url: row.status === 'ready' ? deps.uploads.signer.url(materialPath(row.id)).url : null,
    };
  }

  const target: UploadTarget = {
    async authorizeCreate(req, materialId) {
      const row = isUuid(materialId) ? await repo.find(materialId) : undefined;
      if (!row) throw materialNotFound();
      await deps.requireSpeaker(req, row.session_id);
      if (row.status !== 'uploading') throw conflict('UPLOAD_EXISTS', 'This material has its file already.');
      const declared = req.headers['upload-length'];
      if (declared !== undefined && Number(declared) !== Number(row.size_bytes))
        throw new AppError(
          413,
          'PAYLOAD_TOO_LARGE',
          `This material was declared as ${row.size_bytes} bytes.`,
        );
      if (row.upload_id)
        throw conflict('UPLOAD_EXISTS', 'This material already has its upload; resume that one (HEAD).');
      return {
        attach: async (uploadId) => {
          const ok = await repo.update(row.id, { upload_id: uploadId }, ['uploading']);
          if (!ok) throw conflict('UPLOAD_EXISTS', 'This material has its file already.');
        },
      };
    },
    async authorizeExisting(req, uploadId, method) {
      const row = await repo.findByUpload(uploadId);
      if (!row) return null;
      await deps.requireSpeaker(req, row.session_id);
      if (method === 'PATCH') {
        if (row.status !== 'uploading')
          throw conflict('UPLOAD_EXISTS', 'This material has its file already.');
        // the declared size is the limit: no byte past it is accepted
        const offset = Number(req.headers['upload-offset'] ?? 0);
        const length = Number(req.headers['content-length'] ?? 0);
        const total = req.headers['upload-length'];
        const size = Number(row.size_bytes);
        if (offset + length > size || (total !== undefined && Number(total) !== size))
          throw new AppError(413, 'PAYLOAD_TOO_LARGE', `This material was declared as ${size} bytes.`);
      }
      return { found: true };
    },
    written: async () => {},
    async complete(uploadId, size) {
      const row = await repo.findByUpload(uploadId);
      if (!row || row.status !== 'uploading') return;
      if (size !== Number(row.size_bytes)) {
        await deps.uploads.remove(uploadId);
        await repo.update(row.id, { upload_id: null }, ['uploading']);
        return;
      }
      const work = path.join(deps.tmpDir, row.id);
      try {
        const file = await deps.uploads.localFile(uploadId, work);
        await storage.putFile(keyOf(row), file, row.media_type);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
      const ready = await repo.update(row.id, { status: 'ready', storage_key: keyOf(row) }, ['uploading']);
      if (ready) deps.broadcast(row.session_id, { type: 'material:updated', material: view(ready) }, 'all');
      await deps.uploads
        .remove(uploadId)
        .catch((err) =>
          deps.log.warn({ err, materialId: row.id }, 'could not remove a finished material upload'),
        );
    },
    async terminated(uploadId) {
      const row = await repo.findByUpload(uploadId);
      if (row?.status === 'uploading') await repo.update(row.id, { upload_id: null }, ['uploading']);
    },
  };

  return {
    target,
    async create(session: SessionRow, body: CreateMaterialRequest): Promise<Material> {
      if (session.mode !== 'discussion')
        throw new AppError(409, 'NOT_DISCUSSION', 'Materials are shared in discussion sessions only.');
      if (session.status === 'ended') throw conflict('SESSION_ENDED', 'The session has ended.');
      if ((await repo.count(session.id)) >= MATERIALS_PER_SESSION_MAX)
        throw new AppError(
          413,
          'PAYLOAD_TOO_LARGE',
          `At most ${MATERIALS_PER_SESSION_MAX} files per session.`,
        );
      const row = await repo.insert({
        id: randomUUID(),
        session_id: session.id,
        title: body.title ?? body.fileName.slice(0, 120),
        file_name: body.fileName,
        media_type: body.mediaType,
        size_bytes: body.sizeBytes,
      });
      const material = view(row);
      // the people on stage see it uploading; everyone else once it is ready
      deps.broadcast(session.id, { type: 'material:updated', material }, 'speakers');
      return material;
    },
    /** Listeners see the ready files; the people on stage also the ones still uploading. */
    async list(session: SessionRow, speaker: boolean): Promise<Material[]> {
      const rows = await repo.list(session.id);
      return rows.filter((r) => speaker || r.status === 'ready').map(view);
    },
    async remove(session: SessionRow, materialId: string): Promise<void> {
      const row = isUuid(materialId) ? await repo.find(materialId) : undefined;
      if (!row || row.session_id !== session.id) throw materialNotFound();
      try {
        if (row.storage_key) await storage.delete(row.storage_key);
        if (row.upload_id) await deps.uploads.remove(row.upload_id);
      } catch (err) {
        throw storageDown(err);
      }
      await repo.remove(row.id);
      deps.broadcast(session.id, { type: 'material:removed', materialId: row.id }, 'all');
    },
    /**
     * Deleting a session: the unfinished tus uploads of its materials (the stored files are the
     * `materials/<sessionId>/` owned-files family). Idempotent; a failure throws.
     */
    async removeSessionUploads(sessionId: string): Promise<void> {
      for (const row of await repo.list(sessionId))
        if (row.upload_id) await deps.uploads.remove(row.upload_id);
    },
    /** The stored file of a ready material (the download route checks the signature first). */
    async file(materialId: string) {
      const row = isUuid(materialId) ? await repo.find(materialId) : undefined;
      if (!row || row.status !== 'ready' || !row.storage_key) throw materialNotFound();
      const stream = await storage.getStream(row.storage_key);
      if (!stream) throw materialNotFound();
      return { row, stream };
    },
    verify: (materialId: string, exp: unknown, sig: unknown) =>
      deps.uploads.signer.verify(materialPath(materialId), exp, sig),
  };
}
export type MaterialsService = ReturnType<typeof createMaterialsService>;
