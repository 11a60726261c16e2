import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Files whose name carries a content hash (Vite's `assets/name-HASH.ext`): cached for a year. */
const HASHED = /[/\\]assets[/\\][^/\\]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+(?:\.(?:br|gz))?$/;
/** Must be re-checked on every load: they name the hashed files (or are the service worker). */
const ALWAYS_REVALIDATE = /(?:^|[/\\])(?:index\.html|sw\.js|manifest\.webmanifest)(?:\.(?:br|gz))?$/;

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_REVALIDATE = 'no-cache';
/** Icons and other unhashed public files: an hour, then revalidated. */
export const CACHE_PUBLIC_SHORT = 'public, max-age=3600';

export function cacheControlFor(filePath: string): string {
  if (ALWAYS_REVALIDATE.test(filePath)) return CACHE_REVALIDATE;
  if (HASHED.test(filePath)) return CACHE_IMMUTABLE;
  return CACHE_PUBLIC_SHORT;
}

/**
 * The built web app: files from `dir` with their pre-compressed `.br`/`.gz` siblings (made by the
 * build, chosen by Accept-Encoding — nothing is compressed per request), a year's immutable
 * cache on hashed assets, and index.html (no-cache) for every other GET that is not an API path.
 */
export async function registerWebApp(app: FastifyInstance, opts: { dir: string }): Promise<void> {
  const indexFile = path.join(opts.dir, 'index.html');
  const indexHtml = existsSync(indexFile) ? readFileSync(indexFile) : null;
  if (indexHtml) {
    await app.register(fastifyStatic, {
      root: opts.dir,
      wildcard: false,
      index: false,
      preCompressed: true,
      // Our own header below; `send`'s default (max-age=0) would defeat the hashed names.
      cacheControl: false,
      setHeaders(res, filePath) {
        res.setHeader('cache-control', cacheControlFor(filePath));
        res.setHeader('vary', 'accept-encoding');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    if (
      req.method !== 'GET' ||
      url.startsWith('/api/') ||
      url.startsWith('/ws/') ||
      url === '/metrics' ||
      path.extname(url)
    ) {
      return reply
        .code(404)
        .send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${url}.`, requestId: req.id } });
    }
    if (!indexHtml) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The web app is not built yet: run `npm run build` (npm start does it for you).');
    }
    return reply.type('text/html').header('cache-control', CACHE_REVALIDATE).send(indexHtml);
  });
}
