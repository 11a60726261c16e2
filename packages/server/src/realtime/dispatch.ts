import {
  pingMessageSchema,
  understandingSetMessageSchema,
  WS_MAX_MESSAGE_BYTES,
  type ServerMessage,
} from '@rstream/protocol';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { AppError } from '../errors.js';
import type { Hub } from './hub.js';
import { errorMessage, pongMessage, serialize } from './messages.js';
import type { MessageRegistration, MessageRegistry } from './registry.js';
import type { Room } from './room.js';
import type { RoomClient } from './room-types.js';

/** The core message types, answered by the gateway and the hub themselves. */
export function registerCoreMessages(registry: MessageRegistry, hub: Hub): void {
  const ping: MessageRegistration<{ type: 'ping'; id: string | number }> = {
    type: 'ping',
    schema: pingMessageSchema,
    roles: ['host', 'presenter', 'listener'],
    handle: ({ reply }, msg) => reply(pongMessage(msg.id, Date.now())),
  };
  const understandingSet: MessageRegistration<{ type: 'understanding:set'; level: number }> = {
    type: 'understanding:set',
    schema: understandingSetMessageSchema,
    roles: ['listener'],
    forbiddenMessage: 'Only listeners signal their understanding.',
    handle: ({ room, client }, msg) => {
      if (client.participantId) hub.setLevel(room, client.participantId, msg.level);
    },
  };
  registry.register(ping);
  registry.register(understandingSet);
}

/**
 * One client message through the gateway's checks — binary, size, JSON, the rate bucket
 * (charged the registration's cost), the registered schema, the roles — to its handler.
 */
export function createDispatcher(
  registry: MessageRegistry,
  deps: { hub: Hub; log: Logger; onMessage?: () => void },
) {
  function sendError(ws: WebSocket, code: string, message: string) {
    ws.send(serialize(errorMessage(code, message)));
  }

  function failed(ws: WebSocket, type: string, e: unknown) {
    if (e instanceof AppError) return sendError(ws, e.code, e.message);
    deps.log.error({ err: e, type }, 'ws message failed');
    sendError(ws, 'INTERNAL', 'Something went wrong.');
  }

  /** Handles one client message; `take(cost)` charges the socket's rate bucket (false: over it). */
  function handleMessage(
    room: Room,
    client: RoomClient,
    data: RawData,
    isBinary: boolean,
    take: (cost: number) => boolean,
  ) {
    deps.onMessage?.();
    deps.hub.stats.messagesIn++;
    const size = Array.isArray(data) ? data.reduce((a, b) => a + b.length, 0) : (data as Buffer).byteLength;
    let json: unknown;
    let error: [string, string] | null = null;
    if (isBinary) error = ['BAD_MESSAGE', 'Send JSON text frames.'];
    else if (size > WS_MAX_MESSAGE_BYTES)
      error = ['PAYLOAD_TOO_LARGE', `Messages are limited to ${WS_MAX_MESSAGE_BYTES} bytes.`];
    else {
      try {
        json = JSON.parse(data.toString());
      } catch {
        error = ['BAD_MESSAGE', 'Messages must be JSON.'];
      }
    }
    const type = (json as { type?: unknown } | null)?.type;
    const reg = !error && typeof type === 'string' ? registry.get(type) : undefined;
    if (!take(reg?.cost ?? 1)) return;
    if (error) return sendError(client.ws, error[0], error[1]);
    if (!reg) {
      return sendError(
        client.ws,
        'UNKNOWN_MESSAGE',
        `Unknown message type; expected one of ${registry.types().join(', ')}.`,
      );
    }
    const parsed = reg.schema.safeParse(json);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || reg.type).join(', ');
      return sendError(client.ws, 'VALIDATION_FAILED', `Invalid ${reg.type}: ${fields}`);
    }
    if (!reg.roles.includes(client.role)) {
      return sendError(
        client.ws,
        'FORBIDDEN',
        reg.forbiddenMessage ?? `${reg.type} may be sent by: ${reg.roles.join(', ')}.`,
      );
    }
    const ws = client.ws;
    const reply = (m: ServerMessage) => ws.send(serialize(m));
    try {
      const result = reg.handle({ room, client, reply }, parsed.data);
      if (result instanceof Promise) result.catch((e: unknown) => failed(ws, reg.type, e));
    } catch (e) {
      failed(ws, reg.type, e);
    }
  }

  return { handleMessage, sendError };
}
