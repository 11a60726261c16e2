import { mediaToSession, partAt, sessionToMedia, type MediaPart } from './media-map';

type Listener = () => void;

type VideoWithFrames = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

/**
 * One clock for the playback page, in SESSION time (ms since the session started): the video of
 * the part that holds it, parts played one after another on one timeline — or, for a session
 * without a recording, a plain clock that replays the graph and the questions.
 */
export class Player {
  private video: VideoWithFrames | null = null;
  private partIndex = -1;
  /** Shown instead of the video's time after a seek into a gap or past the last part. */
  private heldT: number | null = null;
  private virtualT = 0;
  private virtualPlaying = false;
  private virtualFrom = 0;
  private frame = 0;
  private readonly frameListeners = new Set<Listener>();
  private readonly stateListeners = new Set<Listener>();
  private detach: (() => void) | null = null;
  private pendingSeek: Promise<void> = Promise.resolve();

  constructor(
    readonly parts: MediaPart[],
    /** Where the session's timeline ends (the graph's right edge). */
    readonly endT: number,
  ) {}

  get hasMedia(): boolean {
    return this.parts.length > 0;
  }

  get currentPart(): MediaPart | null {
    return this.parts[this.partIndex] ?? null;
  }

  /** Called on every frame while playing, and after each seek. */
  onFrame(fn: Listener): () => void {
    this.frameListeners.add(fn);
    return () => this.frameListeners.delete(fn);
  }

  /** Called when playing/paused or the part changes. */
  onState(fn: Listener): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  private emitFrame(): void {
    for (const fn of this.frameListeners) fn();
  }
  private emitState(): void {
    for (const fn of this.stateListeners) fn();
  }

  attach(video: HTMLVideoElement | null): void {
    this.detach?.();
    this.detach = null;
    this.video = video as VideoWithFrames | null;
    if (!video || !this.hasMedia) return;
    const onFrameish = () => this.emitFrame();
    const onState = () => {
      if (!video.paused) {
        this.heldT = null;
        this.loop();
      }
      this.emitState();
      this.emitFrame();
    };
    const onEnded = () => void this.advance();
    video.addEventListener('seeked', onFrameish);
    video.addEventListener('timeupdate', onFrameish);
    video.addEventListener('play', onState);
    video.addEventListener('pause', onState);
    video.addEventListener('ended', onEnded);
    this.detach = () => {
      video.removeEventListener('seeked', onFrameish);
      video.removeEventListener('timeupdate', onFrameish);
      video.removeEventListener('play', onState);
      video.removeEventListener('pause', onState);
      video.removeEventListener('ended', onEnded);
    };
    if (this.partIndex < 0) this.load(0);
  }

  destroy(): void {
    this.detach?.();
    cancelAnimationFrame(this.frame);
    this.virtualPlaying = false;
  }

  playing(): boolean {
    if (!this.hasMedia) return this.virtualPlaying;
    return !!this.video && !this.video.paused && !this.video.ended;
  }

  currentT(): number {
    if (!this.hasMedia) {
      if (!this.virtualPlaying) return this.virtualT;
      return Math.min(this.endT, this.virtualT + (performance.now() - this.virtualFrom));
    }
    if (this.heldT !== null) return this.heldT;
    const part = this.currentPart;
    if (!part || !this.video) return 0;
    return mediaToSession(part, this.video.currentTime * 1000);
  }

  private load(index: number): void {
    const part = this.parts[index];
    if (!part || !this.video) return;
    if (this.partIndex !== index) {
      this.partIndex = index;
      this.video.src = part.mediaUrl;
      this.emitState();
    }
  }

  private whenMetadata(): Promise<void> {
    const v = this.video;
    if (!v || v.readyState >= 1) return Promise.resolve();
    return new Promise((resolve) => v.addEventListener('loadedmetadata', () => resolve(), { once: true }));
  }

  /** Moves to session time t (ms). Seeks are queued so a drag ends where the pointer stopped. */
  seek(t: number): Promise<void> {
    const target = Math.max(0, Math.min(this.endT, t));
    if (!this.hasMedia) {
      this.virtualT = target;
      this.virtualFrom = performance.now();
      this.emitFrame();
      return Promise.resolve();
    }
    this.pendingSeek = this.pendingSeek.then(async () => {
      if (!this.video) return;
      const at = partAt(this.parts, target);
      const index = at ? at.index : this.parts.length - 1;
      const part = this.parts[index] as MediaPart;
      this.load(index);
      await this.whenMetadata();
      const media = at && !at.gap ? sessionToMedia(part, target) : at ? 0 : part.durationMs;
      this.heldT = at && !at.gap ? null : target;
      this.video.currentTime = media / 1000;
      this.emitFrame();
    });
    return this.pendingSeek;
  }

  private async advance(): Promise<void> {
    const next = this.partIndex + 1;
    if (next >= this.parts.length || !this.video) {
      this.emitState();
      return;
    }
    this.load(next);
    await this.whenMetadata();
    this.video.currentTime = 0;
    await this.video.play().catch(() => {});
  }

  play(): void {
    if (!this.hasMedia) {
      if (this.virtualT >= this.endT) this.virtualT = 0;
      this.virtualFrom = performance.now();
      this.virtualPlaying = true;
      this.loop();
      this.emitState();
      return;
    }
    void this.video?.play().catch(() => {});
  }

  pause(): void {
    if (!this.hasMedia) {
      this.virtualT = this.currentT();
      this.virtualPlaying = false;
      this.emitState();
      this.emitFrame();
      return;
    }
    this.video?.pause();
  }

  toggle(): void {
    if (this.playing()) this.pause();
    else this.play();
  }

  /** Frame-exact updates while playing: requestVideoFrameCallback where present, else rAF. */
  private loop(): void {
    cancelAnimationFrame(this.frame);
    const v = this.video;
    if (this.hasMedia && v?.requestVideoFrameCallback) {
      const tick = () => {
        this.emitFrame();
        if (!v.paused) v.requestVideoFrameCallback?.(tick);
      };
      v.requestVideoFrameCallback(tick);
      return;
    }
    const tick = () => {
      if (!this.hasMedia && this.currentT() >= this.endT) {
        this.virtualT = this.endT;
        this.virtualPlaying = false;
        this.emitState();
      }
      this.emitFrame();
      if (this.playing()) this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }
}
