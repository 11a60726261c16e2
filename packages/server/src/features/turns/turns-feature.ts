import { turnEndMessageSchema, turnStartMessageSchema } from '@rstream/protocol';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Guards } from '../../http/caller.js';
import type { Database } from '../../platform/db-schema.js';
import type { Hub } from '../../realtime/hub.js';
import type { MessageRegistry } from '../../realtime/registry.js';
import type { SessionsService } from '../sessions/sessions-service.js';
import type { UnderstandingService } from '../understanding/understanding-service.js';
import { createTurnsRepo } from './turns-repo.js';
import { registerTurnRoutes } from './turns-routes.js';
import { createTurnsService } from './turns-service.js';

/** Discussion turns (issue 16) wired together: service, routes, WS message types. */
export function createTurnsFeature(deps: {
  db: Kysely<Database>;
  hub: Hub;
  sessions: SessionsService;
  understanding: UnderstandingService;
}) {
  const service = createTurnsService({
    repo: createTurnsRepo(deps.db),
    sessions: deps.sessions,
    understanding: deps.understanding,
    broadcast: (sessionId, message) => deps.hub.broadcast(sessionId, message, 'all'),
  });
  // Everyone connected may try; the service refuses listeners when there is a facilitator.
  const registerMessages = (messages: MessageRegistry) => {
    messages.register({
      type: 'turn:start',
      schema: turnStartMessageSchema,
      roles: ['host', 'presenter', 'listener'],
      // one database transaction each
      cost: 2,
      handle: async ({ room, client }, msg) => {
        await service.start(room.row, client, msg.speaker);
      },
    });
    messages.register({
      type: 'turn:end',
      schema: turnEndMessageSchema,
      roles: ['host', 'presenter', 'listener'],
      cost: 2,
      handle: async ({ room, client }) => {
        await service.end(room.row, client);
      },
    });
  };
  return {
    service,
    registerMessages,
    registerRoutes: (app: FastifyInstance, guards: Guards) =>
      registerTurnRoutes(app, { guards, turns: service }),
  };
}
