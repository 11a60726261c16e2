import { forbidden } from '../../errors.js';
import { defineFeature } from '../../http/feature.js';
import { createQuestionsFanout } from './questions-fanout.js';
import { createQuestionsRepo } from './questions-repo.js';
import { registerQuestionRoutes } from './questions-routes.js';
import {
  createQuestionsService,
  type QuestionsService,
  type QuestionsServiceDeps,
} from './questions-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    questions: QuestionsService;
  }
}

export type QuestionsOptions = Partial<Pick<QuestionsServiceDeps, 'voteCoalesceMs' | 'rate'>>;

/**
 * Questions: asked over HTTP or the WebSocket (`question:ask`), voted, answered, pinned,
 * moderated, exported. The worked example of docs/architecture.md, "How to add a feature".
 */
export const questionsFeature = defineFeature<QuestionsOptions>(
  { name: 'questions', needs: ['db', 'hub', 'guards', 'wsMessages', 'logger'] },
  async (app, options) => {
    const service = createQuestionsService({
      repo: createQuestionsRepo(app.db.kysely),
      hub: app.hub,
      fanout: createQuestionsFanout(app.hub),
      log: app.logger,
      voteCoalesceMs: options.voteCoalesceMs,
      rate: options.rate,
    });
    app.decorate('questions', service);
    registerQuestionRoutes(app);
    // The asker's confirmation is their own copy of `question:new`; errors become WS `error`.
    app.wsMessages.handle('question:ask', async (room, client, msg) => {
      if (!client.participantId) throw forbidden('Questions are asked by participants.');
      await service.ask(room.row, client.participantId, msg.content);
    });
    // Vote counts still waiting go out before the hub stops.
    app.addHook('onClose', async () => service.close());
  },
);
