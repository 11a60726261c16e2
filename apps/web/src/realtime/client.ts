import type { ClientMessage } from '@rstream/protocol';
import { CLOSE_CODES, PROTOCOL_VERSION } from '@rstream/protocol/light';
import { backoffDelay } from './backoff';
import { parseServerMessage } from './wire';
import type {
  ConnectionState,
  MessageHandler,
  RealtimeSnapshot,
  TokenSource,
  WebSocketCtor,
  WebSocketLike,
} from './types';

export type { ConnectionState, RealtimeSnapshot, TokenSource, WebSocketCtor, WebSocketLike };

const OPEN = 1;
const FATAL_CODES: ReadonlySet<number> = new Set([
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

function defaultOrigin(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}`;
}

function browserOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/**
 * The one WebSocket connection of a page: reconnects with backoff, pings for latency, and keeps
 * the listener's latest level while disconnected so it is sent — and wins — after reconnecting.
 */
export class RealtimeClient {
  private socket: WebSocketLike | null = null;
  private snapshot: RealtimeSnapshot = {
    state: 'connecting',
    latencyMs: null,
    fatalCode: null,
    ended: false,
    pendingLevel: null,
    protocolMismatch: null,
  };
  /** The last level the user chose, sent or not: it wins over the server's copy after a reconnect. */
  private latestLevel: number | null = null;
  private lastRxAt = 0;
  private watchdogTimer: ReturnType<typeof setInterval> | null = null;
  private readonly stateListeners = new Set<() => void>();
  private readonly messageListeners = new Set<MessageHandler>();
  /** Bumped on every connect/close so stale async continuations can tell they are stale. */
  private generation = 0;
  private stopped = true;
  private attempt = 0;
  private welcomed = false;
  private authRetried = false;
  private forceToken = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pingSeq = 0;
  private outstandingPing: { id: number; sentAt: number } | null = null;
  private readonly opts: Required<Omit<RealtimeOptions, 'origin' | 'retryAuthOnce'>> &
    Pick<RealtimeOptions, 'origin' | 'retryAuthOnce'>;

  constructor(options: RealtimeOptions) {
    this.opts = {
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

  // ---- subscriptions (useSyncExternalStore-friendly) ------------------------------------------

  getSnapshot = (): RealtimeSnapshot => this.snapshot;

  subscribe = (fn: () => void): (() => void) => {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  };

  onMessage(fn: MessageHandler): () => void {
    this.messageListeners.add(fn);
    return () => this.messageListeners.delete(fn);
  }

  private update(patch: Partial<RealtimeSnapshot>): void {
    const next = { ...this.snapshot, ...patch };
    const changed = (Object.keys(patch) as (keyof RealtimeSnapshot)[]).some(
      (k) => next[k] !== this.snapshot[k],
    );
    if (!changed) return;
    this.snapshot = next;
    for (const fn of this.stateListeners) fn();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.update({ state: 'connecting', fatalCode: null, ended: false });
    if (this.opts.watchNetwork && typeof window !== 'undefined') {
      window.addEventListener('online', this.handleOnline);
      window.addEventListener('offline', this.handleOffline);
    }
    void this.open();
  }

  /** Closes for good (leaving the page); state becomes 'closed'. */
  close(): void {
    this.stopped = true;
    this.generation++;
    this.clearTimers();
    if (this.opts.watchNetwork && typeof window !== 'undefined') {
      window.removeEventListener('online', this.handleOnline);
      window.removeEventListener('offline', this.handleOffline);
    }
    this.dropSocket(1000);
    this.update({ state: 'closed' });
  }

  private async open(): Promise<void> {
    const gen = ++this.generation;
    const force = this.forceToken;
    this.forceToken = false;
    // Yield once: a connect() immediately undone by close() (React StrictMode) opens no socket.
    await Promise.resolve();
    if (gen !== this.generation || this.stopped) return;
    let token: string | null;
    try {
      const source = this.opts.token;
      token = typeof source === 'string' ? source : await source({ force });
    } catch {
      token = null;
    }
    if (gen !== this.generation || this.stopped) return;
    if (!token) {
      this.fail(CLOSE_CODES.BAD_TOKEN);
      return;
    }
    const origin = this.opts.origin ?? defaultOrigin();
    const base = `${origin}/ws/sessions/${encodeURIComponent(this.opts.sessionId)}`;
    let socket: WebSocketLike;
    try {
      socket =
        this.opts.tokenTransport === 'protocol'
          ? new this.opts.WebSocketImpl(base, ['rstream', `bearer.${token}`])
          : new this.opts.WebSocketImpl(`${base}?token=${encodeURIComponent(token)}`);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    this.lastRxAt = this.opts.now();
    this.startWatchdog();
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.lastRxAt = this.opts.now();
      this.update({ state: 'open' });
      this.startPing();
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      this.lastRxAt = this.opts.now();
      this.handleData(ev.data);
    };
    socket.onerror = () => {
      // A close event always follows; nothing to do here.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handleClose(ev.code);
    };
  }

  private handleClose(code: number): void {
    this.stopPing();
    this.welcomed = false;
    if (this.stopped) return;
    if (code === CLOSE_CODES.SESSION_ENDED) {
      this.stopped = true;
      this.update({ state: 'closed', ended: true });
      return;
    }
    if (FATAL_CODES.has(code)) {
      if (code === CLOSE_CODES.BAD_TOKEN && this.opts.retryAuthOnce && !this.authRetried) {
        this.authRetried = true;
        this.forceToken = true;
        this.update({ state: 'reconnecting' });
        void this.open();
        return;
      }
      this.fail(code);
      return;
    }
    this.scheduleReconnect();
  }

  private fail(code: number): void {
    this.stopped = true;
    this.clearTimers();
    this.update({ state: 'closed', fatalCode: code });
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.opts.watchNetwork && browserOffline()) {
      // Wait for the browser's 'online' event instead of spinning.
      this.update({ state: 'offline' });
      return;
    }
    const delay = backoffDelay(this.attempt++, this.opts.random);
    this.update({ state: 'reconnecting' });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) void this.open();
    }, delay);
  }

  private readonly handleOnline = (): void => {
    if (this.stopped || this.socket) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.attempt = 0;
    this.update({ state: 'reconnecting' });
    void this.open();
  };

  private readonly handleOffline = (): void => {
    if (this.stopped) return;
    if (this.socket) {
      // The socket is most likely dead; do not wait for the TCP timeout.
      this.dropSocket(4000 + 999);
      this.handleClose(1006);
    }
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.update({ state: 'offline' });
  };

  private dropSocket(code: number): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(code);
    } catch {}
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPing();
    this.stopWatchdog();
  }

  /**
   * A socket can die without closing (Wi-Fi gone, a NAT forgot us): the browser then reports it
   * open for minutes. Anything received proves it alive; silence past the deadline drops it.
   * The same deadline bounds a connect whose handshake or welcome never arrives.
   */
  private startWatchdog(): void {
    this.stopWatchdog();
    const every = Math.max(250, Math.min(1000, this.opts.silenceTimeoutMs / 4));
    this.watchdogTimer = setInterval(() => {
      if (!this.socket) return this.stopWatchdog();
      if (this.opts.now() - this.lastRxAt <= this.opts.silenceTimeoutMs) return;
      this.stopWatchdog();
      this.dropSocket(4000 + 998);
      this.handleClose(1006);
    }, every);
  }

  private stopWatchdog(): void {
    if (this.watchdogTimer) clearInterval(this.watchdogTimer);
    this.watchdogTimer = null;
  }

  // ---- messages -------------------------------------------------------------------------------

  private handleData(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = parseServerMessage(msg);
    if (!parsed.ok) {
      const type = msg && typeof msg === 'object' ? (msg as { type?: unknown }).type : undefined;
      const where = parsed.problem.path
        ? `${parsed.problem.path} ${parsed.problem.problem}`
        : parsed.problem.problem;
      this.reportMismatch(`${typeof type === 'string' ? type : 'message'}: ${where}`, msg);
      return;
    }
    let message = parsed.message;
    if (message.type === 'welcome') {
      if (message.protocolVersion !== PROTOCOL_VERSION) {
        this.reportMismatch(
          `welcome: server speaks protocol ${message.protocolVersion}, this page ${PROTOCOL_VERSION}`,
          msg,
        );
      }
      this.welcomed = true;
      this.attempt = 0;
      this.authRetried = false;
      this.update({ state: 'open' });
      const mine = this.latestLevel;
      if (mine !== null) {
        // The user's latest choice (made before or during the outage) beats the server's copy,
        // which may predate a press the dead socket swallowed.
        this.rawSend({ type: 'understanding:set', level: mine as 1 });
        message = { ...message, level: mine };
      }
      if (this.snapshot.pendingLevel !== null) this.update({ pendingLevel: null });
      this.sendPing();
    } else if (message.type === 'pong') {
      const out = this.outstandingPing;
      if (out && message.id === out.id) {
        this.outstandingPing = null;
        this.update({ latencyMs: Math.max(0, Math.round(this.opts.now() - out.sentAt)) });
      }
      return;
    }
    for (const fn of this.messageListeners) fn(message);
  }

  /** Once per client: the console gets the details, the page a flag to tell the user. */
  private reportMismatch(what: string, raw: unknown): void {
    if (this.snapshot.protocolMismatch !== null) return;
    console.error(`[rstream] protocol mismatch — ${what}. Reload the page to get the current version.`, raw);
    this.update({ protocolMismatch: what });
  }

  private rawSend(msg: ClientMessage): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(msg));
      return true;
    } catch {
      return false;
    }
  }

  /** Sends now when connected; otherwise keeps only this latest level for the reconnect. */
  setLevel(level: number): 'sent' | 'queued' {
    this.latestLevel = level;
    if (this.welcomed && this.rawSend({ type: 'understanding:set', level: level as 1 })) {
      if (this.snapshot.pendingLevel !== null) this.update({ pendingLevel: null });
      return 'sent';
    }
    this.update({ pendingLevel: level });
    return 'queued';
  }

  send(msg: ClientMessage): boolean {
    return this.welcomed && this.rawSend(msg);
  }

  // ---- ping -----------------------------------------------------------------------------------

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => this.sendPing(), this.opts.pingIntervalMs);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.outstandingPing = null;
  }

  private sendPing(): void {
    const out = this.outstandingPing;
    if (out && this.opts.now() - out.sentAt > this.opts.pingIntervalMs * 2) {
      // Two intervals without a pong: the connection is dead even if the socket says otherwise.
      this.dropSocket(4000 + 998);
      this.handleClose(1006);
      return;
    }
    if (out) return;
    const id = ++this.pingSeq;
    if (this.rawSend({ type: 'ping', id })) this.outstandingPing = { id, sentAt: this.opts.now() };
  }
}
