import type { ServerMessage } from '@rstream/protocol';
import type { z } from 'zod';
import type { ClientRole, RoomClient } from './room-types.js';
import type { Room } from './room.js';

/**
 * The client → server message types the gateway understands. A feature plugs a type in with
 * `registry.register({...})` — its protocol schema, the roles allowed and its rate cost — and the
 * gateway does the rest (size and JSON checks, validation, role check, rate limit, errors).
 * docs/architecture.md ("WebSocket messages") documents this API; keep it stable.
 */

/** A socket's rate bucket holds this many tokens: no message may cost more. */
export const MAX_MESSAGE_COST = 40;

export interface MessageContext {
  room: Room;
  /** The authenticated sender (role and participant id checked by the gateway). */
  client: RoomClient;
  /** Sends one message to the sender's socket only. */
  reply(message: ServerMessage): void;
}

export interface MessageRegistration<T extends { type: string } = { type: string }> {
  /** The `type` field this registration handles. */
  type: T['type'];
  /** The message's protocol schema (from packages/protocol), including its `type` literal. */
  schema: z.ZodType<T>;
  /** Who may send it; anybody else gets a WS `error` FORBIDDEN. */
  roles: readonly ClientRole[];
  /** The FORBIDDEN error's message for the other roles. */
  forbiddenMessage?: string;
  /** Tokens taken from the socket's rate bucket (20/s sustained, burst 40); default 1. */
  cost?: number;
  /**
   * Handles a valid message from an allowed sender. Sync or async; an AppError thrown (or
   * rejected) becomes a WS `error` with its code and message, anything else `INTERNAL`.
   */
  handle(ctx: MessageContext, message: T): void | Promise<void>;
}

export interface MessageRegistry {
  /** Adds a message type; throws when the type is registered already. */
  register<T extends { type: string }>(registration: MessageRegistration<T>): void;
  get(type: string): MessageRegistration | undefined;
  /** Every registered type, in registration order. */
  types(): string[];
}

export function createMessageRegistry(): MessageRegistry {
  const byType = new Map<string, MessageRegistration>();
  return {
    register(registration) {
      if (byType.has(registration.type))
        throw new Error(`WebSocket message type ${registration.type} is registered twice`);
      if (registration.roles.length === 0) throw new Error(`${registration.type}: no role may send it`);
      const cost = registration.cost ?? 1;
      if (!(cost >= 1 && cost <= MAX_MESSAGE_COST))
        throw new Error(`${registration.type}: rate cost must be 1–${MAX_MESSAGE_COST}`);
      byType.set(registration.type, registration);
    },
    get: (type) => byType.get(type),
    types: () => [...byType.keys()],
  };
}
