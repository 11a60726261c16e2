import type { ClientMessage } from '@rstream/protocol';
import type { RealtimeClient } from '../../realtime/client';
import { SnapshotStore } from '../../realtime/snapshot-store';
import { ServerClock } from './clock';
import { SyncEngine, type GroupState, type SyncAction } from './sync-engine';
import { isVideoState, type ViewerState } from './types';

/** How often the element is compared with the group (ms). */
export const SYNC_TICK_MS = 200;
/** A viewer's state goes to the server on each change and at least this often. */
export const VIEWER_REPORT_MS = 2000;
/** Clock probes: a quick burst after connecting, then one now and then. */
const PROBE_BURST = 6;
const PROBE_BURST_GAP_MS = 100;
const PROBE_EVERY_MS = 2000;
const HAVE_METADATA = 1;
const HAVE_FUTURE_DATA = 3;

export interface VideoSyncSnapshot {
  group: GroupState | null;
  viewerState: ViewerState;
  /** the last measured drift (positive: behind) */
  driftMs: number | null;
  lastAction: SyncAction;
  /** the element's position (ms), refreshed on each tick */
  positionMs: number;
  durationMs: number | null;
  /** the media failed to load */
  error: boolean;
}

/**
 * Keeps one `<video>` on the group's `video:state`: feeds the server clock from ping/pong,
 * applies the engine's decisions (rate, play/pause, seek), reports this viewer's state
 * (`video:viewer`) and notices when the browser refuses to play without a tap.
 */
export class VideoSync extends SnapshotStore<VideoSyncSnapshot> {
  readonly clock = new ServerClock();
  readonly engine = new SyncEngine();
  private video: HTMLVideoElement | null = null;
  private lastSeq = -1;
  private timers: ReturnType<typeof setInterval>[] = [];
  private offs: (() => void)[] = [];
  private needsTap = false;
  private unlocked = false;
  private loaded = false;
  private waiting = false;
  private lastReport: { state: ViewerState; at: number } | null = null;

  constructor(
    private readonly client: RealtimeClient,
    /** listeners report their state; the facilitator's screen does not */
    private readonly reports: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    super({
      group: null,
      viewerState: 'loading',
      driftMs: null,
      lastAction: 'wait',
      positionMs: 0,
      durationMs: null,
      error: false,
    });
  }

  start(): void {
    this.offs.push(
      this.client.onPong((s) => this.clock.add(s)),
      this.client.onMessage((m) => {
        if (m.type === 'welcome') {
          this.lastSeq = -1; // a new connection (maybe another instance): take its state as it is
          this.burst();
        } else if (isVideoState(m)) this.applyState(m);
      }),
    );
    const early = this.client.lastMessage('video:state');
    if (early) this.applyState(early);
    this.burst();
    this.timers.push(
      setInterval(() => this.tick(), SYNC_TICK_MS),
      setInterval(() => this.client.probeClock(), PROBE_EVERY_MS),
    );
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    for (const t of this.timeouts) clearTimeout(t);
    this.timeouts.clear();
    this.burstRun++;
    for (const off of this.offs) off();
    this.timers = [];
    this.offs = [];
    this.attach(null);
  }

  /**
   * A quick run of clock probes (a new connection: maybe another instance, another route). Only
   * probes that went out count (before `welcome` none can), and a new run replaces a running one.
   */
  private burst(): void {
    const run = ++this.burstRun;
    let sent = 0;
    let tries = 0;
    const next = () => {
      if (run !== this.burstRun || sent >= PROBE_BURST || tries++ > PROBE_BURST * 4) return;
      if (this.client.probeClock()) sent++;
      const h = setTimeout(() => {
        this.timeouts.delete(h);
        next();
      }, PROBE_BURST_GAP_MS);
      this.timeouts.add(h);
    };
    next();
  }
  private burstRun = 0;
  private timeouts = new Set<ReturnType<typeof setTimeout>>();

  /** The server's clock now (before any sample: this device's, which is roughly right). */
  serverNow(): number {
    return this.clock.serverNow(this.now(), performance.timeOrigin);
  }

  applyState(s: GroupState): void {
    if (s.seq <= this.lastSeq) return;
    this.lastSeq = s.seq;
    const group: GroupState = {
      playing: s.playing,
      positionMs: s.positionMs,
      rate: s.rate,
      serverTime: s.serverTime,
      seq: s.seq,
    };
    this.set({ group });
    this.tick();
  }

  attach(video: HTMLVideoElement | null): void {
    for (const off of this.elementOffs) off();
    this.elementOffs = [];
    this.video = video;
    this.engine.reset();
    this.loaded = false;
    if (!video) return;
    const on = (ev: string, fn: () => void) => {
      video.addEventListener(ev, fn);
      this.elementOffs.push(() => video.removeEventListener(ev, fn));
    };
    on('seeked', () => {
      this.engine.seeked(this.now());
      this.tick();
    });
    on('waiting', () => {
      this.waiting = true;
      this.report();
    });
    on('playing', () => {
      this.waiting = false;
      this.report();
    });
    on('canplay', () => {
      this.waiting = false;
      if (!this.loaded) {
        this.loaded = true;
        this.probeAutoplay();
      }
      this.tick();
    });
    on('loadedmetadata', () => {
      this.set({ durationMs: Number.isFinite(video.duration) ? Math.round(video.duration * 1000) : null });
      this.tick(); // a late joiner seeks as soon as the element can
    });
    on('error', () => this.set({ error: true }));
    if (video.readyState >= HAVE_FUTURE_DATA) {
      this.loaded = true;
      this.probeAutoplay();
    }
  }
  private elementOffs: (() => void)[] = [];

  /**
   * Before the group plays, find out whether this browser lets the page play sound without a
   * tap: a play() that is refused now would be refused at the facilitator's "play" too.
   */
  private probeAutoplay(): void {
    const v = this.video;
    if (!v || this.unlocked || this.snap.group?.playing) return;
    v.play().then(
      () => {
        this.unlocked = true;
        if (!this.snap.group?.playing) v.pause();
        this.tick();
      },
      (err: unknown) => this.refused(err),
    );
  }

  private refused(err: unknown): void {
    if (err instanceof DOMException && err.name === 'NotAllowedError') {
      this.needsTap = true;
      this.report();
    }
  }

  /** The "tap to join the video" button: a play() inside the user's gesture. */
  tap(): void {
    const v = this.video;
    if (!v) return;
    this.needsTap = false;
    const p = v.play();
    p.then(
      () => {
        this.unlocked = true;
        if (!this.snap.group?.playing) v.pause();
        this.tick();
      },
      (err: unknown) => this.refused(err),
    );
    this.report();
  }

  /** Facilitator: a play pressed on this page is itself a gesture; use it to unlock playback here. */
  unlockHere(): void {
    if (!this.unlocked) this.tap();
  }

  control(action: 'play' | 'pause' | 'seek' | 'rate', positionMs: number, rate?: number): boolean {
    const msg = {
      type: 'video:control',
      action,
      positionMs: Math.max(0, Math.round(positionMs)),
      ...(rate !== undefined ? { rate } : {}),
    };
    return this.client.send(msg as ClientMessage);
  }

  /** Where the group is now (ms of video), on the estimated server clock. */
  groupPositionMs(): number {
    const g = this.snap.group;
    if (!g) return 0;
    const d = this.snap.durationMs;
    const t = g.playing ? g.positionMs + Math.max(0, this.serverNow() - g.serverTime) * g.rate : g.positionMs;
    return d ? Math.min(d, t) : t;
  }

  tick(): void {
    const v = this.video;
    if (!v) return;
    // Before the metadata a seek is only remembered as the start position: no `seeked` would
    // ever fire and the engine would wait for it (10 s safety net) — a late joiner's slow start.
    if (v.readyState < HAVE_METADATA) return this.report();
    const group = this.snap.group;
    const nowMs = this.now();
    const durationMs = Number.isFinite(v.duration) && v.duration > 0 ? v.duration * 1000 : null;
    const buffering = this.waiting || v.readyState < HAVE_FUTURE_DATA;
    const d = this.engine.decide(
      group,
      this.serverNow(),
      { currentMs: v.currentTime * 1000, paused: v.paused, buffering, durationMs },
      nowMs,
    );
    if (group && !this.needsTap) {
      if (Math.abs(v.playbackRate - d.rate) > 0.001) v.playbackRate = d.rate;
      if (d.action === 'seek' && d.seekToMs !== undefined) v.currentTime = d.seekToMs / 1000;
      if (d.play && v.paused && !v.ended) v.play().catch((err: unknown) => this.refused(err));
      else if (!d.play && !v.paused) v.pause();
    }
    this.set({
      driftMs: d.driftMs !== null ? Math.round(d.driftMs) : this.snap.driftMs,
      lastAction: d.action,
      positionMs: Math.round(v.currentTime * 1000),
    });
    this.report();
  }

  private viewerState(): ViewerState {
    const v = this.video;
    if (this.needsTap) return 'needs_tap';
    if (!v || !this.loaded) return 'loading';
    const group = this.snap.group;
    if (!group || !group.playing) return 'ready';
    if (this.waiting || v.readyState < HAVE_FUTURE_DATA || this.engine.awaitingSeeked) return 'buffering';
    return v.paused ? 'paused' : 'playing';
  }

  private report(): void {
    const state = this.viewerState();
    if (state !== this.snap.viewerState) this.set({ viewerState: state });
    if (!this.reports) return;
    const nowMs = this.now();
    const last = this.lastReport;
    if (last && last.state === state && nowMs - last.at < VIEWER_REPORT_MS) return;
    const positionMs = Math.round((this.video?.currentTime ?? 0) * 1000);
    if (this.client.send({ type: 'video:viewer', state, positionMs })) this.lastReport = { state, at: nowMs };
  }
}
