import { turnEndMessageSchema, turnStartMessageSchema } from '@rstream/protocol';
import type { MessageRegistry } from '../../realtime/registry.js';
import type { TurnsService } from './turns-service.js';

/**
 * `turn:start` / `turn:end`: everyone connected may send them; the service refuses listeners
 * when the session has a facilitator (and every mode but discussion).
 */
export function registerTurnMessages(messages: MessageRegistry, service: TurnsService): void {
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
}
