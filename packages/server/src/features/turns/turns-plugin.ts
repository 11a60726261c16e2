import { defineFeature } from '../../http/feature.js';
import { registerTurnMessages } from './turns-messages.js';
import { createTurnsRepo } from './turns-repo.js';
import { registerTurnRoutes } from './turns-routes.js';
import { createTurnsService, type TurnsService } from './turns-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    turns: TurnsService;
  }
}

/**
 * Discussion mode (issue 16): who is speaking (`turn:start` / `turn:end`), the turns list with
 * per-turn figures and per-speaker totals (`turns.list` / `turns.totals`, what a report calls).
 */
export const turnsFeature = defineFeature(
  { name: 'turns', needs: ['db', 'hub', 'sessions', 'understanding', 'guards', 'wsMessages', 'events'] },
  async (app) => {
    const service = createTurnsService({
      repo: createTurnsRepo(app.db.kysely),
      sessions: app.sessions,
      understanding: app.understanding,
      broadcast: (sessionId, message) => app.hub.broadcast(sessionId, message, 'all'),
    });
    app.decorate('turns', service);
    registerTurnRoutes(app);
    registerTurnMessages(app.wsMessages, service);
    // A turn still open when the session ends closes with it; everyone is told.
    app.events.on('session.ended', async ({ sessionId }) => service.sessionEnded(sessionId));
  },
);
