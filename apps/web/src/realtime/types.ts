import type { ServerMessage } from '@rstream/protocol';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'closed';

export interface RealtimeSnapshot {
  state: ConnectionState;
  /** Round trip of the last ping, ms. */
  latencyMs: number | null;
  /** Set when the server refused us for good (4401 bad token, 4403 not allowed, 4404 no session). */
  fatalCode: number | null;
  /** The server closed because the session ended (4000). */
  ended: boolean;
  /** A level chosen while disconnected, to be sent on reconnect. */
  pendingLevel: number | null;
  /**
   * The server sent something this page does not understand (a newer or older server): what and
   * where, e.g. `snapshot: counts.2 expected integer`. Set once; the page asks for a reload.
   */
  protocolMismatch: string | null;
}

/** The subset of the browser WebSocket the client uses (tests inject a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketCtor = new (url: string, protocols?: string[]) => WebSocketLike;

export type MessageHandler = (msg: ServerMessage) => void;

/** `force` asks for a new token (the previous one was refused with 4401). */
export type TokenSource = string | ((opts: { force: boolean }) => Promise<string | null> | string | null);
