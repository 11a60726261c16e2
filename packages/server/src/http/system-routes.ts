import { z } from 'zod';
import { unauthenticated } from '../errors.js';
import { safeEqual } from '../platform/crypto.js';
import { pingDb } from '../platform/db.js';
import { defineFeature } from './feature.js';
import { readiness } from './readiness.js';

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out`)), ms).unref()),
  ]);

const healthSchema = z.object({ status: z.literal('ok') });
const readySchema = z.object({
  status: z.enum(['ready', 'degraded', 'unavailable']),
  checks: z.record(z.string(), z.string()),
  failing: z.array(z.string()).optional(),
});

/** Health, readiness (db, bus, storage), Prometheus metrics and the OpenAPI document. */
export const systemRoutes = defineFeature(
  { name: 'system-routes', needs: ['db', 'bus', 'storage', 'metrics'] },
  async (app) => {
    const { config, db, bus, storage, metrics } = app;
    app.get(
      '/api/health',
      { schema: { tags: ['system'], summary: 'The process is up', response: { 200: healthSchema } } },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/api/ready',
      {
        schema: {
          tags: ['system'],
          summary:
            'The database, the bus and storage answer: 503 when this instance cannot serve, 200 "degraded" when only Redis is down',
          response: { 200: readySchema, 503: readySchema },
        },
      },
      async (_req, reply) => {
        const checks: Record<string, string> = {};
        const probe = async (name: string, fn: () => Promise<unknown>) => {
          try {
            await withTimeout(fn(), 2000, name);
            checks[name] = 'ok';
          } catch (e) {
            checks[name] = (e as Error).message || 'failed';
          }
        };
        await Promise.all([
          probe('db', () => pingDb(db.kysely)),
          probe('bus', () => bus.ping()),
          probe('storage', () => storage.ping()),
        ]);
        const ready = readiness(checks); // 503 only when this instance cannot serve (readiness.ts)
        return reply.code(ready.code).send(ready.body);
      },
    );
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['system'],
          summary: 'Prometheus text format (bearer METRICS_TOKEN when set)',
          response: { 200: z.string().describe('Prometheus exposition text') },
        },
      },
      async (req, reply) => {
        if (config.METRICS_TOKEN) {
          const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
          if (!safeEqual(given, config.METRICS_TOKEN)) {
            throw unauthenticated('Metrics need the bearer token.');
          }
        }
        reply.header('content-type', metrics.registry.contentType);
        return metrics.registry.metrics();
      },
    );
    app.get(
      '/api/openapi.json',
      {
        schema: {
          tags: ['system'],
          summary: 'This document',
          response: { 200: z.record(z.string(), z.unknown()).describe('OpenAPI 3.1') },
        },
      },
      async () => Object.fromEntries(Object.entries(app.swagger())),
    );
  },
);
