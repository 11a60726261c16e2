import type { ServerMessage } from '@rstream/protocol';
import { PROTOCOL_VERSION } from '@rstream/protocol/light';
import { parseServerMessage } from './wire';

/** What one WebSocket frame from the server turned out to be. */
export type Inbound =
  /** A message of the protocol; `mismatch` is set when it is a welcome of another protocol version. */
  | { ok: true; message: ServerMessage; raw: unknown; mismatch: string | null }
  /** Valid JSON this page does not understand: what and where, e.g. `snapshot: counts.2 expected integer`. */
  | { ok: false; mismatch: string; raw: unknown };

/**
 * Checks one frame against the protocol (the JSON Schemas of wire.ts). Binary frames and text
 * that is not JSON are not messages at all (`null`: ignored).
 */
export function readInbound(data: unknown): Inbound | null {
  if (typeof data !== 'string') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = parseServerMessage(raw);
  if (!parsed.ok) {
    const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
    const { path, problem } = parsed.problem;
    const where = path ? `${path} ${problem}` : problem;
    return { ok: false, mismatch: `${typeof type === 'string' ? type : 'message'}: ${where}`, raw };
  }
  const message = parsed.message;
  const mismatch =
    message.type === 'welcome' && message.protocolVersion !== PROTOCOL_VERSION
      ? `welcome: server speaks protocol ${message.protocolVersion}, this page ${PROTOCOL_VERSION}`
      : null;
  return { ok: true, message, raw, mismatch };
}
