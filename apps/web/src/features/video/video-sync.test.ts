import { afterEach, describe, expect, it } from 'vitest';
import type { RealtimeClient } from '../../realtime/client';
import { VideoSync } from './video-sync';

/** A stand-in `<video>`: readyState, currentTime, play() that the test resolves or refuses. */
class FakeVideo extends EventTarget {
  readyState = 0;
  paused = true;
  ended = false;
  muted = false;
  duration = 60;
  playbackRate = 1;
  seeks: number[] = [];
  plays = 0;
  refuse: string | null = null;
  private t = 0;
  get currentTime() {
    return this.t;
  }
  set currentTime(v: number) {
    // before the metadata a browser only remembers it: no seeking, no `seeked`
    if (this.readyState >= 1) this.seeks.push(v);
    this.t = v;
  }
  play(): Promise<void> {
    this.plays++;
    if (this.refuse) return Promise.reject(new DOMException('no gesture', this.refuse));
    this.paused = false;
    return Promise.resolve();
  }
  pause() {
    this.paused = true;
  }
  fire(type: string) {
    this.dispatchEvent(new Event(type));
  }
}

function fakeClient() {
  const sent: Record<string, unknown>[] = [];
  const client = {
    onPong: () => () => {},
    onMessage: () => () => {},
    lastMessage: () => undefined,
    probeClock: () => true,
    send: (m: Record<string, unknown>) => (sent.push(m), true),
  } as unknown as RealtimeClient;
  return { client, sent };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
let sync: VideoSync | null = null;
afterEach(() => sync?.stop());

describe('VideoSync', () => {
  it('a late joiner: no seek before the metadata (it would never report `seeked`), one as soon as it is there', () => {
    const { client } = fakeClient();
    let now = 1000;
    sync = new VideoSync(client, true, () => now);
    const v = new FakeVideo();
    sync.attach(v as unknown as HTMLVideoElement);
    const serverTime = performance.timeOrigin + now;
    sync.applyState({ playing: true, positionMs: 30_000, rate: 1, serverTime, seq: 3 });
    expect(v.seeks).toEqual([]);
    expect(sync.engine.awaitingSeeked).toBe(false);
    now += 500;
    v.readyState = 1;
    v.fire('loadedmetadata');
    expect(v.seeks.length).toBe(1);
    // the group's position then, plus the seek lead
    expect(v.seeks[0]! * 1000).toBeGreaterThan(30_500);
    expect(v.seeks[0]! * 1000).toBeLessThan(31_000);
    expect(sync.engine.awaitingSeeked).toBe(true);
  });

  it('play() refused by the autoplay policy: "needs_tap" (reported), and the tap plays', async () => {
    const { client, sent } = fakeClient();
    sync = new VideoSync(client, true, () => 1000);
    const v = new FakeVideo();
    v.refuse = 'NotAllowedError';
    v.readyState = 4;
    sync.applyState({ playing: false, positionMs: 0, rate: 1, serverTime: 0, seq: 0 });
    sync.attach(v as unknown as HTMLVideoElement);
    await flush();
    expect(sync.getSnapshot().viewerState).toBe('needs_tap');
    expect(sent.at(-1)).toMatchObject({ type: 'video:viewer', state: 'needs_tap' });
    // the group plays meanwhile: nothing is tried behind the button
    const plays = v.plays;
    sync.applyState({
      playing: true,
      positionMs: 0,
      rate: 1,
      serverTime: performance.timeOrigin + 1000,
      seq: 1,
    });
    expect(v.plays).toBe(plays);
    expect(sync.getSnapshot().viewerState).toBe('needs_tap');
    // the tap: a play() inside the gesture, allowed now
    v.refuse = null;
    sync.tap();
    await flush();
    expect(v.paused).toBe(false);
    expect(sync.getSnapshot().viewerState).not.toBe('needs_tap');
  });

  it('another refusal (not the autoplay policy) is not taken for a missing tap', async () => {
    const { client } = fakeClient();
    sync = new VideoSync(client, true, () => 1000);
    const v = new FakeVideo();
    v.refuse = 'AbortError';
    v.readyState = 4;
    sync.applyState({ playing: false, positionMs: 0, rate: 1, serverTime: 0, seq: 0 });
    sync.attach(v as unknown as HTMLVideoElement);
    await flush();
    sync.tick();
    expect(sync.getSnapshot().viewerState).toBe('ready');
  });
});
