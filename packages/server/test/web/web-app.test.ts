import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_IMMUTABLE, cacheControlFor, registerWebApp } from '../../src/http/web-app.js';

// The static web app as a browser meets it: a built folder with pre-compressed siblings.
describe('web app serving', () => {
  let dir: string;
  let app: FastifyInstance;
  const js = 'export const x = "' + 'listener '.repeat(400) + '";\n';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rstream-web-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    const asset = path.join(dir, 'assets/ListenerPage-B8ma6krl.js');
    writeFileSync(asset, js);
    writeFileSync(asset + '.br', brotliCompressSync(js));
    writeFileSync(asset + '.gz', gzipSync(js));
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
    app = Fastify();
    await registerWebApp(app, { dir });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the brotli file to a browser that accepts it, immutable for a year', async () => {
    const res = await app.inject({
      url: '/assets/ListenerPage-B8ma6krl.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe(CACHE_IMMUTABLE);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.rawPayload.length).toBeLessThan(js.length / 5);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(js);
  });

  it('falls back to gzip, then to the plain file', async () => {
    const gz = await app.inject({
      url: '/assets/ListenerPage-B8ma6krl.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(js);
    const plain = await app.inject({
      url: '/assets/ListenerPage-B8ma6krl.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    expect(plain.headers['cache-control']).toBe(CACHE_IMMUTABLE);
  });

  it('serves index.html with no-cache for app routes, and a JSON 404 for unknown API paths', async () => {
    const page = await app.inject({ url: '/s/123' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    const api = await app.inject({ url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    const missingAsset = await app.inject({ url: '/assets/gone-AAAAAAAA.js' });
    expect(missingAsset.statusCode).toBe(404);
  });

  it('gives unhashed files a short cache and the service worker none', async () => {
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
    expect(cacheControlFor('/x/dist/sw.js')).toBe('no-cache');
    expect(cacheControlFor('/x/dist/manifest.webmanifest')).toBe('no-cache');
    expect(cacheControlFor('/x/dist/assets/index-CyJR_-mI.js')).toBe(CACHE_IMMUTABLE);
  });
});
