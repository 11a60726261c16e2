import { describe, expect, it } from 'vitest';
import { ServerClock } from './clock';
import {
  SYNC,
  SyncEngine,
  targetPositionMs,
  viewerSyncLabel,
  type ElementView,
  type GroupState,
} from './sync-engine';

const playing = (positionMs: number, serverTime: number, rate = 1, seq = 1): GroupState => ({
  playing: true,
  positionMs,
  rate,
  serverTime,
  seq,
});
const el = (currentMs: number, patch: Partial<ElementView> = {}): ElementView => ({
  currentMs,
  paused: false,
  buffering: false,
  durationMs: 60_000,
  ...patch,
});

describe('ServerClock', () => {
  it('takes the offset from the lowest-RTT samples of the window', () => {
    const c = new ServerClock(8, 2);
    // true offset 10_000: server = perf + 10_000. Fast, symmetric exchanges say so exactly;
    // a slow one whose delay sat on the way back is off by 200 ms and must not count.
    c.add({ sentAt: 100, receivedAt: 120, serverTime: 10_110 });
    c.add({ sentAt: 200, receivedAt: 600, serverTime: 10_200 }); // rtt 400, offset 9_800
    c.add({ sentAt: 300, receivedAt: 330, serverTime: 10_315 });
    expect(c.offsetMs).toBe(10_000);
    expect(c.bestRttMs).toBe(20);
    expect(c.serverNow(1000)).toBe(11_000);
  });

  it('forgets samples that slid out of the window', () => {
    const c = new ServerClock(2, 1);
    c.add({ sentAt: 0, receivedAt: 10, serverTime: 5 }); // offset 0, rtt 10
    c.add({ sentAt: 100, receivedAt: 150, serverTime: 625 }); // offset 500, rtt 50
    expect(c.offsetMs).toBe(0);
    c.add({ sentAt: 200, receivedAt: 260, serverTime: 730 }); // offset 500, rtt 60: the rtt-10 one is gone
    expect(c.offsetMs).toBe(500);
    expect(c.sampleCount).toBe(2);
  });

  it('ignores impossible samples and falls back before the first one', () => {
    const c = new ServerClock();
    c.add({ sentAt: 100, receivedAt: 50, serverTime: 1 });
    expect(c.offsetMs).toBeNull();
    expect(c.serverNow(1000, 7)).toBe(1007);
  });
});

describe('targetPositionMs', () => {
  it('advances with server time and rate while playing, clamped to the duration', () => {
    expect(targetPositionMs(playing(5000, 1000), 3000)).toBe(7000);
    expect(targetPositionMs(playing(5000, 1000, 1.5), 3000)).toBe(8000);
    expect(targetPositionMs(playing(59_000, 0), 10_000, 60_000)).toBe(60_000);
    expect(targetPositionMs({ ...playing(5000, 1000), playing: false }, 9000)).toBe(5000);
    // a state stamped "in the future" (clock estimate a little off) never goes backwards
    expect(targetPositionMs(playing(5000, 2000), 1000)).toBe(5000);
  });
});

describe('SyncEngine', () => {
  it('does nothing within 50 ms', () => {
    const e = new SyncEngine();
    const d = e.decide(playing(10_000, 0), 0, el(9_970), 0);
    expect(d).toMatchObject({ action: 'none', rate: 1, play: true, driftMs: 30 });
  });

  it('nudges the rate for small drift, faster when behind and slower when ahead, capped at 10 %', () => {
    const e = new SyncEngine();
    const behind = e.decide(playing(10_000, 0), 0, el(9_800), 0);
    expect(behind.action).toBe('nudge');
    expect(behind.rate).toBeCloseTo(1.1);
    const ahead = new SyncEngine().decide(playing(10_000, 0), 0, el(10_100), 0);
    expect(ahead.action).toBe('nudge');
    expect(ahead.rate).toBeCloseTo(0.95);
    const far = new SyncEngine().decide(playing(10_000, 0), 0, el(9_650), 0);
    expect(far.rate).toBeCloseTo(1.1);
    // relative to the group's rate
    const fast = new SyncEngine().decide(playing(10_000, 0, 2), 0, el(9_800), 0);
    expect(fast.rate).toBeCloseTo(2.2);
    // the tail of a nudge still gets a perceptible minimum change
    const tail = new SyncEngine();
    tail.decide(playing(10_000, 0), 0, el(9_900), 0);
    expect(tail.decide(playing(10_000, 0), 0, el(9_970), 0).rate).toBeCloseTo(1 + SYNC.MIN_NUDGE);
  });

  it('keeps nudging until within 20 ms (hysteresis), then returns to the group rate', () => {
    const e = new SyncEngine();
    expect(e.decide(playing(10_000, 0), 0, el(9_900), 0).action).toBe('nudge');
    expect(e.decide(playing(10_000, 0), 0, el(9_970), 100).action).toBe('nudge'); // 30 ms: still
    const done = e.decide(playing(10_000, 0), 0, el(9_990), 200);
    expect(done).toMatchObject({ action: 'none', rate: 1 });
    // and a fresh 30 ms does not start one
    expect(e.decide(playing(10_000, 0), 0, el(9_970), 300).action).toBe('none');
  });

  it('seeks past 1 s, leading by the expected seek time, and measures nothing until seeked', () => {
    const e = new SyncEngine();
    const d = e.decide(playing(20_000, 0), 0, el(5_000), 0);
    expect(d.action).toBe('seek');
    expect(d.seekToMs).toBe(20_000 + SYNC.SEEK_LEAD_START_MS);
    expect(e.awaitingSeeked).toBe(true);
    // before `seeked` the element's time is not trusted, whatever it says
    for (const at of [50, 300, 2000]) {
      const w = e.decide(playing(20_000, 0), at, el(0), at);
      expect(w).toMatchObject({ action: 'wait', why: 'seeking', driftMs: null });
    }
    e.seeked(400); // it took 400 ms: the lead moves towards it
    expect(e.awaitingSeeked).toBe(false);
    expect(e.seekLeadMs).toBe((SYNC.SEEK_LEAD_START_MS + 400) / 2);
    expect(e.decide(playing(20_000, 0), 400, el(20_390), 400).action).toBe('none');
  });

  it('does not seek again within the cooldown: it nudges instead', () => {
    const e = new SyncEngine();
    e.decide(playing(20_000, 0), 0, el(5_000), 0);
    e.seeked(200);
    const d = e.decide(playing(20_000, 0), 300, el(18_800), 300);
    expect(d.action).toBe('nudge');
    expect(d.rate).toBeCloseTo(1.1);
    const later = e.decide(playing(20_000, 0), 2000, el(19_000), 2000);
    expect(later.action).toBe('seek');
  });

  it('gives up waiting for a seeked that never comes after 10 s', () => {
    const e = new SyncEngine();
    e.decide(playing(20_000, 0), 0, el(0), 0);
    expect(e.decide(playing(20_000, 0), 9_999, el(0), 9_999).action).toBe('wait');
    expect(e.decide(playing(20_000, 0), 10_000, el(30_000), 10_000).action).not.toBe('wait');
  });

  it('while buffering it decides nothing (the viewer reports it; the group goes on)', () => {
    const e = new SyncEngine();
    const d = e.decide(playing(20_000, 0), 5000, el(3_000, { buffering: true }), 5000);
    expect(d).toMatchObject({ action: 'wait', why: 'buffering', play: true });
    expect(e.awaitingSeeked).toBe(false);
  });

  it('paused: pauses and lands on the exact position', () => {
    const e = new SyncEngine();
    const paused: GroupState = { ...playing(12_000, 0), playing: false };
    expect(e.decide(paused, 99_999, el(12_030), 0)).toMatchObject({ action: 'none', play: false });
    const d = e.decide(paused, 99_999, el(14_000), 0);
    expect(d).toMatchObject({ action: 'seek', play: false, seekToMs: 12_000 });
    e.seeked(500);
    expect(e.seekLeadMs).toBe(SYNC.SEEK_LEAD_START_MS); // a paused seek teaches no lead
  });

  it('waits without a state', () => {
    expect(new SyncEngine().decide(null, 0, el(0), 0)).toMatchObject({ action: 'wait', why: 'no-state' });
  });

  it('at the end of the video it stops instead of seeking back and forth', () => {
    const e = new SyncEngine();
    const d = e.decide(playing(59_000, 0), 5000, el(60_000), 5000);
    expect(d).toMatchObject({ action: 'none', play: false });
  });
});

describe('viewerSyncLabel', () => {
  it('names each state for the facilitator', () => {
    expect(viewerSyncLabel({ state: 'playing', driftMs: 120 })).toBe('in_sync');
    expect(viewerSyncLabel({ state: 'playing', driftMs: -900 })).toBe('behind');
    expect(viewerSyncLabel({ state: 'playing', driftMs: 900 })).toBe('ahead');
    expect(viewerSyncLabel({ state: 'buffering', driftMs: 0 })).toBe('buffering');
    expect(viewerSyncLabel({ state: 'needs_tap', driftMs: null })).toBe('needs_tap');
    expect(viewerSyncLabel({ state: 'ready', driftMs: null })).toBe('in_sync');
  });
});
