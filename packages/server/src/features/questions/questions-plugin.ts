import { defineFeature } from '../../http/feature.js';
import { createQuestionsFanout } from './questions-fanout.js';
import { registerQuestionMessages } from './questions-messages.js';
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
  { name: 'questions', needs: ['db', 'hub', 'guards', 'wsMessages', 'events', 'logger'] },
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
    registerQuestionMessages(app.wsMessages, service);
    // a listener erasing themselves takes their questions with them (sessions feature, emitStrict)
    app.events.on('participant.erasing', async ({ sessionId, participantId }) => {
      await service.eraseParticipant(sessionId, participantId);
    });
    // Vote counts still waiting go out before the hub stops.
    app.addHook('onClose', async () => service.close());
  },
);
