import { CLOSE_CODES } from '@rstream/protocol/light';
import type { TokenSource, WebSocketCtor, WebSocketLike } from './types';

export const OPEN = 1;
/** Close codes after which the client gives up (the page says why). */
export const FATAL_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.BAD_TOKEN,
  CLOSE_CODES.NOT_ALLOWED,
  CLOSE_CODES.NO_SUCH_SESSION,
  CLOSE_CODES.ERASED,
]);

export interface RealtimeOptions {
  sessionId: string;
  token: TokenSource;
  /** Speakers: on 4401 fetch a fresh token (force) and try once more before giving up. */
  retryAuthOnce?: boolean;
  /** ws(s)://host — defaults to the page's own origin. */
  origin?: string;
  WebSocketImpl?: WebSocketCtor;
  random?: () => number;
  /** How often to ping (a ping also proves the link is alive). */
  pingIntervalMs?: number;
  /**
   * Nothing received for this long on an open socket (not even a pong) = a silent drop: the
   * socket is abandoned and a new one opened. Also bounds a handshake that never completes.
   */
  silenceTimeoutMs?: number;
  /**
   * How the token travels: 'protocol' (the default) = `Sec-WebSocket-Protocol: rstream,
   * bearer.<token>` (not in URLs that proxies log); 'url' = `?token=` for servers that do not read
   * the header yet (the server accepts both).
   */
  tokenTransport?: 'url' | 'protocol';
  now?: () => number;
  /** Follow the browser's online/offline events (off in tests). */
  watchNetwork?: boolean;
}

export function defaultOrigin(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}`;
}

export function browserOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

type Resolved = Required<Omit<RealtimeOptions, 'origin' | 'retryAuthOnce'>> &
  Pick<RealtimeOptions, 'origin' | 'retryAuthOnce'>;

/** The options with their defaults: a ping every 3 s, silence for 8 s = a dead socket. */
export function resolveOptions(options: RealtimeOptions): Resolved {
  return {
    WebSocketImpl: globalThis.WebSocket as unknown as WebSocketCtor,
    random: Math.random,
    pingIntervalMs: 3000,
    silenceTimeoutMs: 8000,
    tokenTransport: 'protocol',
    now: () => performance.now(),
    watchNetwork: true,
    ...options,
  };
}

/** A new socket to the session (the token in the subprotocol header or the URL); null if the browser refused. */
export function createSocket(opts: ReturnType<typeof resolveOptions>, token: string): WebSocketLike | null {
  const origin = opts.origin ?? defaultOrigin();
  const base = `${origin}/ws/sessions/${encodeURIComponent(opts.sessionId)}`;
  try {
    return opts.tokenTransport === 'protocol'
      ? new opts.WebSocketImpl(base, ['rstream', `bearer.${token}`])
      : new opts.WebSocketImpl(`${base}?token=${encodeURIComponent(token)}`);
  } catch {
    return null;
  }
}

/** Follows the browser's online/offline events; returns the unsubscribe. */
export function watchNetwork(onOnline: () => void, onOffline: () => void): (() => void) | null {
  if (typeof window === 'undefined') return null;
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  return () => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
  };
}
