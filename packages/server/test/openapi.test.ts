import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, startTestApp, type TestApp } from './helpers.js';
import { routeTable } from './security/routes-matrix.js';

type Operation = { responses?: Record<string, { description?: string; content?: unknown }> };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

/**
 * Routes whose schemas are still to be declared. Each entry must be a route WITHOUT a schema:
 * declaring one means deleting its line here, and a new route cannot join this list unnoticed.
 */
const NOT_YET_DECLARED = new Set<string>([
  // signed binary media and the tus protocol (raw bytes, headers): no JSON body to declare
  'GET /api/media/recordings/:recordingId',
  'GET /api/media/recordings/:recordingId/thumbnails',
  'GET /api/media/videos/:videoId',
  'POST /api/uploads',
  'PATCH /api/uploads/:uploadId',
  'DELETE /api/uploads/:uploadId',
]);

/** `/api/sessions/:id` → `/api/sessions/{id}` (how OpenAPI spells path parameters) */
const openApiPath = (route: string) => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * A route declared its schema when the document knows the body of one of its 2xx/3xx answers,
 * or a bodiless answer described on purpose (204). Undeclared routes get Fastify's bare default.
 */
const declared = (op: Operation | undefined) =>
  Object.entries(op?.responses ?? {}).some(
    ([status, r]) =>
      /^[23]/.test(status) && (r.content !== undefined || r.description !== 'Default Response'),
  );

describe.each(BACKENDS)('the OpenAPI document on %s', (backend) => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await startTestApp(backend, { WEB_DIST_DIR: mkdtempSync(path.join(tmpdir(), 'rstream-noweb-')) });
    doc = (await api<Doc>(t.url, 'GET', '/api/openapi.json')).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every route the server serves, each with its schema, and nothing else', () => {
    const served = routeTable(t.app.fastify).filter((r) => !r.includes('/assets/'));
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const key = (r: string) => {
      const [method, route] = r.split(' ') as [string, string];
      return `${method} ${openApiPath(route)}`;
    };
    expect(
      served.map(key).filter((r) => !documented.includes(r)),
      'routes missing from the document',
    ).toEqual([]);
    expect(
      documented.filter((r) => !served.map(key).includes(r)),
      'documented routes not served',
    ).toEqual([]);

    const undeclared = served.filter((r) => {
      const [method, route] = r.split(' ') as [string, string];
      return !declared(doc.paths[openApiPath(route)]?.[method.toLowerCase()]);
    });
    expect(
      undeclared.filter((r) => !NOT_YET_DECLARED.has(r)),
      'routes without a schema',
    ).toEqual([]);
    expect(
      [...NOT_YET_DECLARED].filter((r) => !undeclared.includes(r)),
      'routes that declare a schema now: remove them from NOT_YET_DECLARED',
    ).toEqual([]);
  });

  it('describes the contract’s error body and the request bodies from the protocol’s schemas', () => {
    const ask = doc.paths['/api/sessions/{id}/questions']!.post!;
    expect(Object.keys(ask.responses!)).toEqual(expect.arrayContaining(['200', '201', '4XX', '5XX']));
    expect(JSON.stringify(ask.responses!['4XX'])).toContain('requestId');
    expect(JSON.stringify(ask)).toContain('"maxLength":500');
  });
});
