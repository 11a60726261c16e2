import type { ClientMessage, ServerMessage } from '@rstream/protocol';

/** One ping/pong exchange: local send/receive times (performance.now()) and the server's Date.now(). */
export interface PongSample {
  sentAt: number;
  receivedAt: number;
  serverTime: number;
}

interface PingerOptions {
  intervalMs: number;
  now: () => number;
  /** Sends on the current socket; false when there is none (or it is not open). */
  send: (msg: ClientMessage) => boolean;
  /** Two intervals without a pong: the connection is dead even if the socket says otherwise. */
  onDead: () => void;
}

/**
 * The pings of one client: a liveness ping every interval (its round trip is the latency the
 * page shows), and clock probes (`ping` with a string id "c<n>", features/video's clock) that do
 * not count for liveness. Every pong that answers one of them goes to the pong listeners.
 */
export class Pinger {
  private timer: ReturnType<typeof setInterval> | null = null;
  private seq = 0;
  private outstanding: { id: number; sentAt: number } | null = null;
  /** Clock probes: sent at, by id. */
  private readonly clockPings = new Map<string, number>();
  private clockSeq = 0;
  private readonly listeners = new Set<(s: PongSample) => void>();

  constructor(private readonly opts: PingerOptions) {}

  onPong(fn: (s: PongSample) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.ping(), this.opts.intervalMs);
  }

  /** Stops the interval and forgets the unanswered ping (a new socket starts afresh). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.outstanding = null;
  }

  ping(): void {
    const out = this.outstanding;
    if (out && this.opts.now() - out.sentAt > this.opts.intervalMs * 2) {
      this.opts.onDead();
      return;
    }
    if (out) return;
    const id = ++this.seq;
    if (this.opts.send({ type: 'ping', id })) this.outstanding = { id, sentAt: this.opts.now() };
  }

  probeClock(): boolean {
    const id = `c${++this.clockSeq}`;
    if (this.clockPings.size > 8) this.clockPings.clear();
    const sentAt = this.opts.now();
    if (!this.opts.send({ type: 'ping', id })) return false;
    this.clockPings.set(id, sentAt);
    return true;
  }

  /** A pong arrived: the liveness ping's round trip (ms) when it answers that one. */
  handlePong(message: Extract<ServerMessage, { type: 'pong' }>): { latencyMs: number | null } {
    const out = this.outstanding;
    const receivedAt = this.opts.now();
    let sentAt: number | undefined;
    let latencyMs: number | null = null;
    if (out && message.id === out.id) {
      this.outstanding = null;
      sentAt = out.sentAt;
      latencyMs = Math.max(0, Math.round(receivedAt - out.sentAt));
    } else if (typeof message.id === 'string' && this.clockPings.has(message.id)) {
      sentAt = this.clockPings.get(message.id);
      this.clockPings.delete(message.id);
    }
    if (sentAt !== undefined && typeof message.serverTime === 'number')
      for (const fn of this.listeners) fn({ sentAt, receivedAt, serverTime: message.serverTime });
    return { latencyMs };
  }
}
