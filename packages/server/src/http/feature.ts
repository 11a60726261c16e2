import type { FastifyInstance, RawServerDefault } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyBaseLogger } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The app as a feature sees it: zod schemas type each route's params, query, body and reply. */
export type FeatureApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

type Decorator = Extract<keyof FastifyInstance, string>;

export interface FeatureMeta {
  /** the plugin's name (what other plugins list in `after`) */
  name: string;
  /** decorators read while the plugin registers (services it builds on): checked at once */
  needs?: Decorator[];
  /** decorators read only when a request or message arrives (registered later): checked when the app is ready */
  uses?: Decorator[];
}

/**
 * One feature = one Fastify plugin (fastify-plugin, so what it decorates is visible to the
 * plugins registered after it). It states what it needs, builds its service from them,
 * decorates it for others (`app.decorate('questions', service)` + a `declare module 'fastify'`
 * entry), and registers its routes (zod schemas), WebSocket message handlers, jobs and event
 * subscriptions. See docs/architecture.md, "How to add a feature".
 */
export function defineFeature<Options extends Record<string, unknown> = Record<never, never>>(
  meta: FeatureMeta,
  plugin: (app: FeatureApp, options: Options) => Promise<void>,
) {
  const missing = (app: FastifyInstance, names: Decorator[] = []) =>
    names.filter((n) => !app.hasDecorator(n));
  return fp<Options>(
    async (app, options) => {
      const absent = missing(app, meta.needs);
      if (absent.length > 0)
        throw new Error(
          `The ${meta.name} feature needs ${absent.join(', ')}: register what provides it first`,
        );
      app.addHook('onReady', async () => {
        const late = missing(app, meta.uses);
        if (late.length > 0)
          throw new Error(`The ${meta.name} feature uses ${late.join(', ')}, which nothing provides`);
      });
      await plugin(app.withTypeProvider<ZodTypeProvider>(), options);
    },
    { name: meta.name, fastify: '5.x' },
  );
}
