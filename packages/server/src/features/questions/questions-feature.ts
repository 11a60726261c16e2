import { questionAskMessageSchema } from '@rstream/protocol';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { forbidden } from '../../errors.js';
import type { Guards } from '../../http/caller.js';
import type { Database } from '../../platform/db-schema.js';
import type { Hub } from '../../realtime/hub.js';
import type { MessageRegistry } from '../../realtime/registry.js';
import { createQuestionsFanout } from './questions-fanout.js';
import { createQuestionsRepo } from './questions-repo.js';
import { registerQuestionRoutes } from './questions-routes.js';
import { createQuestionsService, type QuestionsServiceDeps } from './questions-service.js';

/** The questions feature wired together: what app.ts needs is three calls. */
export function createQuestionsFeature(
  deps: { db: Kysely<Database>; hub: Hub; log: Logger } & Partial<
    Pick<QuestionsServiceDeps, 'voteCoalesceMs' | 'rate'>
  >,
) {
  const service = createQuestionsService({
    repo: createQuestionsRepo(deps.db),
    hub: deps.hub,
    fanout: createQuestionsFanout(deps.hub),
    log: deps.log,
    voteCoalesceMs: deps.voteCoalesceMs,
    rate: deps.rate,
  });
  /** The feature's WebSocket message types, plugged into the gateway's registry. */
  const registerMessages = (messages: MessageRegistry) =>
    messages.register({
      type: 'question:ask',
      schema: questionAskMessageSchema,
      roles: ['listener', 'presenter'],
      forbiddenMessage: 'Questions are asked by participants.',
      // Asking writes to the database; the service has its own per-participant limit on top.
      cost: 2,
      // The asker's confirmation is their own copy of `question:new`; errors become WS `error`.
      handle: async ({ room, client }, msg) => {
        if (!client.participantId) throw forbidden('Questions are asked by participants.');
        await service.ask(room.row, client.participantId, msg.content);
      },
    });
  return {
    service,
    registerMessages,
    registerRoutes: (app: FastifyInstance, guards: Guards) =>
      registerQuestionRoutes(app, { guards, questions: service }),
    close: () => service.close(),
  };
}
