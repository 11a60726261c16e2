import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { UPLOADS_PATH } from '@rstream/protocol';
import { Server, type ServerOptions } from '@tus/server';
import { EVENTS, type Locker } from '@tus/utils';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppError, badRequest, unauthenticated } from '../../errors.js';
import { bearerToken } from '../../http/caller.js';
import type { TusStore } from './tus-stores.js';

/**
 * What an upload belongs to, named by one `Upload-Metadata` key. `recordingId` is the recordings
 * feature's; other features plug theirs in with `app.uploads.addTarget('videoId', target)`
 * (docs/recording.md, "Upload targets"). Each method throws an AppError to refuse.
 */
export interface UploadTarget {
  /** POST: may this caller create an upload for `id`? Returns the hooks of the new upload. */
  authorizeCreate(req: FastifyRequest, id: string): Promise<{ attach(uploadId: string): Promise<void> }>;
  /** HEAD/PATCH/DELETE of an upload of this target; null when the upload is not this target's. */
  authorizeExisting(req: FastifyRequest, uploadId: string, method: string): Promise<{ found: true } | null>;
  written(uploadId: string, offset: number): Promise<void>;
  complete(uploadId: string, size: number): Promise<void>;
  terminated(uploadId: string): Promise<void>;
}

const URL_ID = /^[0-9a-f]{32}$/;

/** `Upload-Metadata: key base64,key2 base64` → {key: value}. */
export function parseUploadMetadata(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const pair of header.split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (!key) continue;
    out[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
  }
  return out;
}

export interface UploadsDeps {
  store: TusStore;
  /** store ids carry this prefix (S3: `uploads/`), URL ids do not */
  idPrefix: string;
  /** Upload-Metadata key → target; more may be added after registration (`addTarget`). */
  targets?: Record<string, UploadTarget>;
  maxBytes: number;
  locker?: Locker;
  trustProxy: boolean;
  log: Logger;
}

/**
 * tus 1.0.0 at /api/uploads (creation, creation-defer-length, termination) through @tus/server,
 * behind the same authentication as every route: the Fastify handler checks the caller first,
 * then hands the raw request to tus.
 */
export function registerUploadRoutes(app: FastifyInstance, deps: UploadsDeps) {
  const { idPrefix } = deps;
  const ctx = new AsyncLocalStorage<{ attach(uploadId: string): Promise<void> }>();
  const urlIdOf = (storeId: string) => storeId.slice(idPrefix.length);
  const targetOfUpload = new Map<string, UploadTarget>();
  const targets = new Map<string, UploadTarget>(Object.entries(deps.targets ?? {}));

  async function findTarget(req: FastifyRequest, uploadId: string, method: string): Promise<UploadTarget> {
    for (const target of targets.values()) {
      if (await target.authorizeExisting(req, uploadId, method)) {
        targetOfUpload.set(uploadId, target);
        if (targetOfUpload.size > 10_000) targetOfUpload.clear();
        return target;
      }
    }
    throw new AppError(404, 'UPLOAD_NOT_FOUND', 'No such upload.');
  }
  const targetOf = async (uploadId: string) => {
    const t = targetOfUpload.get(uploadId);
    if (!t) deps.log.warn({ uploadId }, 'upload event without a known target');
    return t;
  };

  const options: Omit<ServerOptions, 'locker'> & { datastore: TusStore; locker?: Locker } = {
    path: UPLOADS_PATH,
    datastore: deps.store,
    maxSize: deps.maxBytes,
    respectForwardedHeaders: deps.trustProxy,
    namingFunction: () => idPrefix + randomBytes(16).toString('hex'),
    getFileIdFromRequest: (_req, lastPath) =>
      lastPath && URL_ID.test(lastPath) ? idPrefix + lastPath : undefined,
    generateUrl: (_req, { path, id }) => `${path}/${urlIdOf(id)}`,
    onUploadCreate: async (_req, upload) => {
      const hooks = ctx.getStore();
      if (!hooks) throw { status_code: 403, body: 'not authorised\n' };
      try {
        await hooks.attach(urlIdOf(upload.id));
      } catch (e) {
        if (e instanceof AppError) throw { status_code: e.status, body: `${e.message}\n` };
        throw e;
      }
      return { metadata: upload.metadata };
    },
    onUploadFinish: async (_req, upload) => {
      const id = urlIdOf(upload.id);
      await (await targetOf(id))?.complete(id, upload.size ?? upload.offset);
      return {};
    },
  };
  if (deps.locker) options.locker = deps.locker;
  const tus = new Server(options);
  tus.on(EVENTS.POST_TERMINATE, (_req, _res, storeId) => {
    const id = urlIdOf(storeId);
    void targetOf(id).then((t) =>
      t?.terminated(id).catch((e) => deps.log.warn({ err: e }, 'terminate hook failed')),
    );
  });

  const handOver = async (
    req: FastifyRequest,
    reply: FastifyReply,
    hooks?: { attach(uploadId: string): Promise<void> },
  ) => {
    reply.hijack();
    const run = () => tus.handle(req.raw, reply.raw);
    await (hooks ? ctx.run(hooks, run) : run());
  };

  app.register(async (scope) => {
    // tus bodies are raw bytes read by tus itself: no parsing, no JSON body limit
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));

    scope.post(UPLOADS_PATH, async (req, reply) => {
      if (!bearerToken(req)) throw unauthenticated();
      const meta = parseUploadMetadata(req.headers['upload-metadata'] as string | undefined);
      const keys = [...targets.keys()].filter((k) => meta[k]);
      if (keys.length !== 1)
        throw badRequest(
          `Upload-Metadata must name what the upload is for: one of ${[...targets.keys()].join(', ')}.`,
          { path: 'Upload-Metadata' },
        );
      const target = targets.get(keys[0]!)!;
      const hooks = await target.authorizeCreate(req, meta[keys[0]!]!);
      const wrapped = {
        attach: async (uploadId: string) => {
          await hooks.attach(uploadId);
          targetOfUpload.set(uploadId, target);
        },
      };
      await handOver(req, reply, wrapped);
    });

    const existing = async (req: FastifyRequest<{ Params: { uploadId: string } }>, reply: FastifyReply) => {
      if (!bearerToken(req)) throw unauthenticated();
      if (!URL_ID.test(req.params.uploadId)) throw new AppError(404, 'UPLOAD_NOT_FOUND', 'No such upload.');
      await findTarget(req, req.params.uploadId, req.method);
      await handOver(req, reply);
    };
    const url = `${UPLOADS_PATH}/:uploadId`;
    // HEAD is left out of the document as everywhere else (the route table skips HEAD routes)
    scope.route({ method: 'HEAD', url, schema: { hide: true }, handler: existing });
    scope.route({ method: ['PATCH', 'DELETE'], url, handler: existing });
  });

  return {
    tus,
    /** Plugs in what a new `Upload-Metadata` key's uploads belong to (one target per key). */
    addTarget(key: string, target: UploadTarget) {
      if (!/^[a-zA-Z][a-zA-Z0-9]{0,39}$/.test(key)) throw new Error(`bad upload metadata key: ${key}`);
      if (targets.has(key)) throw new Error(`upload target ${key} is already registered`);
      targets.set(key, target);
    },
    /** For the bytes-written hook of the stores (store id → the target's URL id). */
    async written(storeId: string, offset: number) {
      const id = urlIdOf(storeId);
      await (await targetOf(id))?.written(id, offset);
    },
  };
}
