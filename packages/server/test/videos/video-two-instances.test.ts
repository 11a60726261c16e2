import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { speaker } from '../helpers.js';
import { twoInstances } from '../scale/two-instances-fixture.js';
import { addUrlVideo, isState, positionNow, videoSession, type Msg } from './video-helpers.js';

/** The state must agree across instances: the facilitator on A, viewers on B (PostgreSQL + Redis). */
describe('video sync across two instances on one PostgreSQL and one Redis', () => {
  // one after the other, with time to spare: the machine is shared
  const two = twoInstances({
    env: () => ({ MEDIA_URL_SECRET: randomBytes(32).toString('hex') }),
    oneAfterTheOther: true,
    startTimeoutMs: 90_000,
    hookTimeoutMs: 200_000,
  });

  it('play, seek and pause on A reach viewers on B at the right position; a late joiner on B too; viewers on B reach the facilitator on A', async () => {
    const { a, b, welcomed: ws } = two;
    const host = await speaker(a.url, 'Facilitator');
    const v = await addUrlVideo(a.url, host.token, 'Lecture', 600_000);
    const { s, people } = await videoSession(
      a.url,
      host.token,
      v.body.video.id,
      ['Ann', 'Ben', 'Cy'],
      {},
      () => b.url,
    );
    const h = await ws(a.url, s.id, host.token);
    const ann = await ws(b.url, s.id, people[0]!.participantToken);
    await ann.next(isState((m) => m.seq === 0));

    const sentAt = Date.now();
    h.send({ type: 'video:control', action: 'play', positionMs: 30_000 });
    const played = await ann.next(
      isState((m) => m.playing === true),
      5000,
    );
    expect(played.seq).toBe(1);
    // within the time between sending and receiving (same clock: both servers run here)
    expect(Math.abs(positionNow(played) - (30_000 + (Date.now() - sentAt)))).toBeLessThan(
      Date.now() - sentAt + 20,
    );

    h.send({ type: 'video:control', action: 'seek', positionMs: 200_000 });
    const seeked = await ann.next(
      isState((m) => m.seq === 2),
      5000,
    );
    expect(seeked.playing).toBe(true);
    expect(seeked.positionMs).toBe(200_000);

    const ben = await ws(b.url, s.id, people[1]!.participantToken);
    const late = await ben.next(isState(), 5000);
    expect(late.seq).toBe(2);
    const now = Date.now();
    expect(Math.abs(positionNow(late, now) - positionNow(seeked, now))).toBeLessThan(5);

    h.send({ type: 'video:control', action: 'pause', positionMs: 205_000 });
    const [pa, pb] = await Promise.all([
      ann.next(
        isState((m) => m.seq === 3),
        5000,
      ),
      ben.next(
        isState((m) => m.seq === 3),
        5000,
      ),
    ]);
    expect(pa).toMatchObject({ playing: false, positionMs: 205_000 });
    expect(pb).toMatchObject({ playing: false, positionMs: 205_000 });

    ann.send({ type: 'video:control', action: 'play', positionMs: 0 });
    expect((await ann.next((m) => m.type === 'error')).code).toBe('FORBIDDEN');

    ann.send({ type: 'video:viewer', state: 'ready', positionMs: 205_000 });
    ben.send({ type: 'video:viewer', state: 'needs_tap', positionMs: 0 });
    const viewers = await h.next(
      (m) => m.type === 'video:viewers' && (m.viewers as Msg[]).length === 2,
      8000,
    );
    expect(viewers.ready).toBe(1);
    expect((viewers.viewers as Msg[]).map((x) => x.state).sort()).toEqual(['needs_tap', 'ready']);
  });

  it('the instance that made the last change dies: the other still serves that state, and seq goes on from it', async () => {
    const { a, b, welcomed: ws } = two;
    const host = await speaker(a.url, 'Facilitator');
    const v = await addUrlVideo(a.url, host.token, 'Lecture', 600_000);
    const { s, people } = await videoSession(
      a.url,
      host.token,
      v.body.video.id,
      ['Dee', 'Eve'],
      {},
      () => b.url,
    );
    const h = await ws(a.url, s.id, host.token);
    const dee = await ws(b.url, s.id, people[0]!.participantToken);
    for (let i = 1; i <= 3; i++) {
      h.send({ type: 'video:control', action: i % 2 ? 'play' : 'seek', positionMs: i * 10_000 });
      await dee.next(
        isState((m) => m.seq === i),
        5000,
      );
    }
    const last = dee.messages.filter(isState()).at(-1)!;
    await a.kill('SIGKILL');
    const eve = await ws(b.url, s.id, people[1]!.participantToken);
    const got = await eve.next(isState(), 5000);
    expect(got.seq).toBe(3);
    expect(got.playing).toBe(true);
    const now = Date.now();
    expect(Math.abs(positionNow(got, now) - positionNow(last, now))).toBeLessThan(5);

    // the host reconnects to B and goes on: seq 4, never back
    const h2 = await ws(b.url, s.id, host.token);
    expect((await h2.next(isState())).seq).toBe(3);
    h2.send({ type: 'video:control', action: 'pause', positionMs: 50_000 });
    const paused = await eve.next(
      isState((m) => m.seq === 4),
      5000,
    );
    expect(paused).toMatchObject({ playing: false, positionMs: 50_000 });
    expect(h.closeCode).not.toBeNull();
  });
});
