import type { ServerMessage } from '@rstream/protocol';
import type { Hub } from '../../realtime/hub.js';

/** One question event, already shaped per audience. */
export interface QuestionDelivery {
  sessionId: string;
  speakers?: ServerMessage;
  listeners?: ServerMessage;
  /** per-participant copies (mine, votedByMe), sent after the broadcasts */
  personal?: { participantId: string; message: ServerMessage }[];
}

/**
 * Writes a question event to the room's sockets through the hub (which also relays it to other
 * instances when there are several). Order matters: a participant's own copy comes last, so
 * it wins over the broadcast copy they also receive.
 */
export function createQuestionsFanout(hub: Pick<Hub, 'broadcast' | 'sendToParticipant'>) {
  return {
    publish(d: QuestionDelivery): void {
      if (d.speakers) hub.broadcast(d.sessionId, d.speakers, 'speakers');
      if (d.listeners) hub.broadcast(d.sessionId, d.listeners, 'listeners');
      for (const p of d.personal ?? []) hub.sendToParticipant(d.sessionId, p.participantId, p.message);
    },
  };
}
export type QuestionsFanout = ReturnType<typeof createQuestionsFanout>;
