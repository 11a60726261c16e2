import type { ErrorBody, ServerMessage } from '@rstream/protocol';
import schemas from './wire-schemas.gen.json';
import { checkWire, type JsonSchema, type WireProblem } from './wire-check';

export type { WireProblem };

const serverMessage = schemas.serverMessage as unknown as JsonSchema;
const errorBody = schemas.errorBody as unknown as JsonSchema;

/** A WebSocket message from the server, checked against the protocol's `serverMessageSchema`. */
export function parseServerMessage(
  value: unknown,
): { ok: true; message: ServerMessage } | { ok: false; problem: WireProblem } {
  const problem = checkWire(serverMessage, value);
  return problem ? { ok: false, problem } : { ok: true, message: value as ServerMessage };
}

/** An API error body (`{error:{code,message,details?,requestId?}}`), or null if it is not one. */
export function parseErrorBody(value: unknown): ErrorBody | null {
  return checkWire(errorBody, value) ? null : (value as ErrorBody);
}
