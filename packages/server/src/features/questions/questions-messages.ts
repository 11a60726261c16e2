import { questionAskMessageSchema } from '@rstream/protocol';
import { forbidden } from '../../errors.js';
import type { MessageRegistry } from '../../realtime/registry.js';
import type { QuestionsService } from './questions-service.js';

/** The feature's WebSocket message types, plugged into the gateway's registry. */
export const registerQuestionMessages = (messages: MessageRegistry, service: QuestionsService) =>
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
