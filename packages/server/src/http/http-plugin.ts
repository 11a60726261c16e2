import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { errorBodySchema, PROTOCOL_VERSION } from '@rstream/protocol';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import { installErrorHandler } from './errors-handler.js';
import { installLiveLimits } from './limits.js';
import { registerSecurityHeaders } from './security-headers.js';
import { zodSerializerCompiler, zodValidatorCompiler } from './zod-routes.js';

export interface RateLimitOption {
  max: number;
  timeWindow: string;
}

type Transform = ReturnType<typeof createJsonSchemaTransform>;
const ERROR_JSON = z.toJSONSchema(errorBodySchema, { io: 'output', unrepresentable: 'any' });

/** Every documented operation also answers 4XX/5XX with the contract's error body. */
const withErrorResponses =
  (transform: Transform): Transform =>
  (doc) => {
    const out = transform(doc);
    const schema = out.schema as { response?: Record<string, unknown>; hide?: boolean } | undefined;
    if (schema && !schema.hide) {
      schema.response = {
        ...schema.response,
        '4XX': { description: "The contract's error body", ...ERROR_JSON },
        '5XX': { description: "The contract's error body", ...ERROR_JSON },
      };
    }
    return out;
  };

declare module 'fastify' {
  interface FastifyInstance {
    /** per-IP limits of the sign-in and join routes (tests and benchmarks raise them) */
    rateLimits: { auth: RateLimitOption; join: RateLimitOption };
  }
}

/**
 * What every route shares: zod schemas (validation, serialisation, the OpenAPI document), the
 * contract's error body, request ids, request metrics, cookies, security headers and the rate
 * limiter (off by default; routes opt in with `config.rateLimit`).
 */
export const httpPlugin = fp<{ authRateLimitPerMin?: number; joinRateLimitPerMin?: number }>(
  async (app, opts) => {
    const { config, metrics } = app;
    app.setValidatorCompiler(zodValidatorCompiler);
    app.setSerializerCompiler(zodSerializerCompiler);
    installErrorHandler(app);
    app.decorate('rateLimits', {
      auth: { max: opts.authRateLimitPerMin ?? config.RATE_LIMIT_AUTH_PER_MIN, timeWindow: '1 minute' },
      join: { max: opts.joinRateLimitPerMin ?? config.RATE_LIMIT_JOIN_PER_MIN, timeWindow: '1 minute' },
    });
    app.addHook('onSend', async (req, reply) => {
      reply.header('x-request-id', req.id);
    });
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      metrics.httpDuration.observe(
        { method: req.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    await app.register(cookie);
    await registerSecurityHeaders(app, config);
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        code: 'FST_ERR_RATE_LIMIT',
        message: `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s.`,
      }),
    });
    installLiveLimits(app, { config, redis: app.bus.redis }); // join-code lock-out, no-store on tokens
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'R-Stream API', version: String(PROTOCOL_VERSION) },
        components: {
          securitySchemes: {
            accessToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            participantToken: { type: 'http', scheme: 'bearer' },
          },
        },
      },
      transform: withErrorResponses(
        createJsonSchemaTransform({ skipList: [], zodToJsonConfig: { unrepresentable: 'any' } }),
      ),
    });
  },
  { name: 'http', dependencies: ['platform'], fastify: '5.x' },
);
