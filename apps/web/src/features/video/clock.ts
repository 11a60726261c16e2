/**
 * The server's clock as this page sees it, NTP-style, from `ping {id}` → `pong {id, serverTime}`.
 *
 * Each exchange gives an offset `serverTime − (sentAt + receivedAt) / 2` whose error is at most
 * half its round trip. Round trips vary (a busy phone, Wi-Fi retries), and a slow one is biased
 * by however its delay split between the two directions — so only the fastest exchanges of a
 * sliding window count: the offset is the mean of the `BEST_OF` lowest-RTT samples among the
 * last `WINDOW` ones. All local times are `performance.now()` (monotonic: a wall-clock jump on
 * the phone does not move the estimate).
 */
export const CLOCK_WINDOW = 16;
export const CLOCK_BEST_OF = 3;

export interface ClockSample {
  /** performance.now() when the ping left */
  sentAt: number;
  /** performance.now() when the pong arrived */
  receivedAt: number;
  /** the server's Date.now() when it answered */
  serverTime: number;
}

export class ServerClock {
  private samples: { rtt: number; offset: number }[] = [];
  private offset: number | null = null;

  constructor(
    private readonly window = CLOCK_WINDOW,
    private readonly bestOf = CLOCK_BEST_OF,
  ) {}

  add(s: ClockSample): void {
    const rtt = s.receivedAt - s.sentAt;
    if (!(rtt >= 0) || !Number.isFinite(s.serverTime)) return;
    this.samples.push({ rtt, offset: s.serverTime - (s.sentAt + s.receivedAt) / 2 });
    if (this.samples.length > this.window) this.samples.shift();
    const best = [...this.samples].sort((a, b) => a.rtt - b.rtt).slice(0, this.bestOf);
    this.offset = best.reduce((sum, x) => sum + x.offset, 0) / best.length;
  }

  /** Samples so far (up to the window). */
  get sampleCount(): number {
    return this.samples.length;
  }

  /** The lowest round trip in the window (ms), or null. */
  get bestRttMs(): number | null {
    return this.samples.length ? Math.min(...this.samples.map((s) => s.rtt)) : null;
  }

  /** serverTime − performance.now(), or null before the first sample. */
  get offsetMs(): number | null {
    return this.offset;
  }

  /** The server's Date.now() at local `perfNow`; falls back to `fallbackOffset` before any sample. */
  serverNow(perfNow: number, fallbackOffset = 0): number {
    return perfNow + (this.offset ?? fallbackOffset);
  }
}
