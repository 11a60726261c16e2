import type { ClientMessage, ServerMessage } from '@rstream/protocol';
import { CLOSE_CODES } from '@rstream/protocol/light';
import { backoffDelay } from './backoff';
import {
  browserOffline,
  createSocket,
  FATAL_CODES,
  OPEN,
  resolveOptions,
  watchNetwork,
  type RealtimeOptions,
} from './client-options';
import { readInbound } from './inbound';
import { LevelOutbox } from './level-outbox';
import { Pinger, type PongSample } from './pinger';
import type {
  ConnectionState,
  MessageHandler,
  RealtimeSnapshot,
  TokenSource,
  WebSocketCtor,
  WebSocketLike,
} from './types';
import { SnapshotStore } from './snapshot-store';
import { SilenceWatchdog } from './watchdog';

export type {
  ConnectionState,
  PongSample,
  RealtimeOptions,
  RealtimeSnapshot,
  TokenSource,
  WebSocketCtor,
  WebSocketLike,
};

/**
 * The one WebSocket connection of a page: reconnects with backoff, pings for latency, and keeps
 * the listener's latest level while disconnected so it is sent — and wins — after reconnecting.
 * Its parts: the frames' check (inbound.ts), the pings (pinger.ts), the silence watch
 * (watchdog.ts) and the level kept across outages (level-outbox.ts); this file is the socket's
 * lifecycle (open, close codes, backoff, the browser's online/offline events).
 */
export class RealtimeClient extends SnapshotStore<RealtimeSnapshot> {
  private socket: WebSocketLike | null = null;
  private readonly outbox = new LevelOutbox();
  private readonly pinger: Pinger;
  private readonly watchdog: SilenceWatchdog;
  private readonly messageListeners = new Set<MessageHandler>();
  /** Bumped on every connect/close so stale async continuations can tell they are stale. */
  private generation = 0;
  private stopped = true;
  private attempt = 0;
  private welcomed = false;
  private authRetried = false;
  private forceToken = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private unwatchNetwork: (() => void) | null = null;
  /** The latest message of each type, for a screen part that subscribes after it arrived. */
  private readonly latest = new Map<string, ServerMessage>();
  private readonly opts: ReturnType<typeof resolveOptions>;

  constructor(options: RealtimeOptions) {
    super({
      state: 'connecting',
      latencyMs: null,
      fatalCode: null,
      ended: false,
      pendingLevel: null,
      protocolMismatch: null,
    });
    this.opts = resolveOptions(options);
    // A ping unanswered for two intervals, or silence past the deadline: the socket is dead
    // even if the browser says it is open.
    const abandon = () => {
      this.dropSocket(4000 + 998);
      this.handleClose(1006);
    };
    this.pinger = new Pinger({
      intervalMs: this.opts.pingIntervalMs,
      now: this.opts.now,
      send: (msg) => this.rawSend(msg),
      onDead: abandon,
    });
    this.watchdog = new SilenceWatchdog(this.opts.silenceTimeoutMs, this.opts.now, abandon);
  }

  // ---- subscriptions (getSnapshot/subscribe: SnapshotStore, useSyncExternalStore-friendly) ----

  /** Every pong with its round trip (performance.now() times) and the server's clock. */
  onPong(fn: (s: PongSample) => void): () => void {
    return this.pinger.onPong(fn);
  }

  /** Sends an extra ping to sample the server clock (does not count for the link's liveness). */
  probeClock(): boolean {
    return this.welcomed && this.pinger.probeClock();
  }

  /** The latest message of a type received on this client (any connection), if any. */
  lastMessage<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }> | undefined {
    return this.latest.get(type) as Extract<ServerMessage, { type: T }> | undefined;
  }

  onMessage(fn: MessageHandler): () => void {
    this.messageListeners.add(fn);
    return () => this.messageListeners.delete(fn);
  }

  /** Watchers hear of a patch only when it changes something. */
  private update(patch: Partial<RealtimeSnapshot>): void {
    if ((Object.keys(patch) as (keyof RealtimeSnapshot)[]).some((k) => patch[k] !== this.snap[k]))
      this.set(patch);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.update({ state: 'connecting', fatalCode: null, ended: false });
    if (this.opts.watchNetwork) this.unwatchNetwork = watchNetwork(this.handleOnline, this.handleOffline);
    void this.open();
  }

  /** Closes for good (leaving the page); state becomes 'closed'. */
  close(): void {
    this.stopped = true;
    this.generation++;
    this.clearTimers();
    this.unwatchNetwork?.();
    this.unwatchNetwork = null;
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
    const socket = createSocket(this.opts, token);
    if (!socket) return this.scheduleReconnect();
    this.socket = socket;
    this.welcomed = false;
    this.watchdog.start(() => this.socket !== null);
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.watchdog.heard();
      this.update({ state: 'open' });
      this.pinger.start();
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      this.watchdog.heard();
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
    this.pinger.stop();
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
    this.pinger.stop();
    this.watchdog.stop();
  }

  // ---- messages -------------------------------------------------------------------------------

  private handleData(data: unknown): void {
    const inbound = readInbound(data);
    if (!inbound) return;
    if (!inbound.ok) return this.reportMismatch(inbound.mismatch, inbound.raw);
    if (inbound.mismatch) this.reportMismatch(inbound.mismatch, inbound.raw);
    let message = inbound.message;
    if (message.type === 'welcome') {
      this.welcomed = true;
      this.attempt = 0;
      this.authRetried = false;
      this.update({ state: 'open' });
      message = this.outbox.welcome(message, (level) =>
        this.rawSend({ type: 'understanding:set', level: level as 1 }),
      );
      if (this.snap.pendingLevel !== null) this.update({ pendingLevel: null });
      this.pinger.ping();
    } else if (message.type === 'pong') {
      const { latencyMs } = this.pinger.handlePong(message);
      if (latencyMs !== null) this.update({ latencyMs });
      return;
    }
    this.latest.set(message.type, message);
    for (const fn of this.messageListeners) fn(message);
  }

  /** Once per client: the console gets the details, the page a flag to tell the user. */
  private reportMismatch(what: string, raw: unknown): void {
    if (this.snap.protocolMismatch !== null) return;
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
    this.outbox.choose(level);
    if (this.welcomed && this.rawSend({ type: 'understanding:set', level: level as 1 })) {
      if (this.snap.pendingLevel !== null) this.update({ pendingLevel: null });
      return 'sent';
    }
    this.update({ pendingLevel: level });
    return 'queued';
  }

  send(msg: ClientMessage): boolean {
    return this.welcomed && this.rawSend(msg);
  }
}
