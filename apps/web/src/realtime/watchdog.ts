/**
 * A socket can die without closing (Wi-Fi gone, a NAT forgot us): the browser then reports it
 * open for minutes. Anything received proves it alive (`heard()`); silence past the deadline
 * calls `onSilent` once. The same deadline bounds a connect whose handshake or welcome never
 * arrives (the watch starts when the socket is created).
 */
export class SilenceWatchdog {
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastRxAt = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number,
    private readonly onSilent: () => void,
  ) {}

  heard(): void {
    this.lastRxAt = this.now();
  }

  /** Starts (or restarts) the watch, counting from now. `alive()` false = nothing to watch. */
  start(alive: () => boolean): void {
    this.stop();
    this.heard();
    const every = Math.max(250, Math.min(1000, this.timeoutMs / 4));
    this.timer = setInterval(() => {
      if (!alive()) return this.stop();
      if (this.now() - this.lastRxAt <= this.timeoutMs) return;
      this.stop();
      this.onSilent();
    }, every);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
