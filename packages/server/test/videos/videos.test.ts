import { makeReportNow } from '../../src/features/reports/report-cli.js';
import { waitReady } from '../reports/report-helpers.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, speaker, startTestApp, WsClient, type TestApp, waitFor } from '../helpers.js';
import {
  addUrlVideo,
  isState,
  makeVideo,
  positionNow,
  tusCreateVideo,
  tusPatchAll,
  videoSession,
  type Msg,
  type VideoBody,
} from './video-helpers.js';

type Points = {
  points: { t: number; avg: number | null; n: number }[];
  pausedPoints?: { t: number }[];
  axis?: string;
};

describe.each(BACKENDS)('video-watching mode on one instance (%s)', (backend) => {
  let t: TestApp;
  const sockets: WsClient[] = [];
  const ws = async (id: string, token: string) => {
    const c = new WsClient(t.url, id, token);
    sockets.push(c);
    await c.next((m) => m.type === 'welcome');
    return c;
  };
  beforeAll(async () => {
    t = await startTestApp(backend, { TICK_MS: '100' });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
  });

  it('the library: URL videos (http(s), a media extension), owner checks, VIDEO_IN_USE, no start without a video', async () => {
    const host = await speaker(t.url, 'Host');
    const other = await speaker(t.url, 'Other');
    const bad = await api(t.url, 'POST', '/api/videos', {
      body: { title: 'x', url: 'javascript:alert(1)' },
      token: host.token,
    });
    expect(bad.status).toBe(400);
    const page = await api(t.url, 'POST', '/api/videos', {
      body: { title: 'x', url: 'https://e.test/page.html' },
      token: host.token,
    });
    expect(page.status).toBe(415);
    const v = await addUrlVideo(t.url, host.token);
    expect(v.status).toBe(201);
    expect(v.body.video).toMatchObject({ source: 'url', status: 'ready', usedBy: 0 });
    expect(v.body.video.mediaUrl).toBe('https://media.example.test/lecture.mp4');
    const listed = await api<{ videos: VideoBody[] }>(t.url, 'GET', '/api/videos', { token: host.token });
    expect(listed.body.videos.map((x) => x.id)).toEqual([v.body.video.id]);
    expect(
      (await api<{ videos: VideoBody[] }>(t.url, 'GET', '/api/videos', { token: other.token })).body.videos,
    ).toEqual([]);
    expect((await api(t.url, 'GET', `/api/videos/${v.body.video.id}`, { token: other.token })).status).toBe(
      403,
    );

    // another speaker's video cannot be named
    const theirs = await api(t.url, 'POST', '/api/sessions', {
      body: { title: 'x', mode: 'video', settings: { video: { videoId: v.body.video.id } } },
      token: other.token,
    });
    expect(theirs.status).toBe(400);

    // no start without a video (the provider has not added it yet)
    const pending = await videoSession(t.url, host.token, null, [], { provider: 'someone_else' });
    expect(pending.s.settings.video).toEqual({ videoId: null, facilitator: 'me', provider: 'someone_else' });
    const start = await api<{ error: { code: string } }>(t.url, 'PUT', `/api/sessions/${pending.s.id}`, {
      body: { status: 'live' },
      token: host.token,
    });
    expect(start.status).toBe(409);
    expect(start.body.error.code).toBe('NO_VIDEO');

    const { s } = await videoSession(t.url, host.token, v.body.video.id);
    const inUse = await api<{ error: { code: string } }>(t.url, 'DELETE', `/api/videos/${v.body.video.id}`, {
      token: host.token,
    });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('VIDEO_IN_USE');
    expect(
      (await api<{ video: VideoBody }>(t.url, 'GET', `/api/videos/${v.body.video.id}`, { token: host.token }))
        .body.video.usedBy,
    ).toBe(1);
    expect((await api(t.url, 'DELETE', `/api/sessions/${s.id}`, { token: host.token })).status).toBe(204);
    expect((await api(t.url, 'DELETE', `/api/videos/${v.body.video.id}`, { token: host.token })).status).toBe(
      204,
    );
    expect((await api(t.url, 'GET', `/api/videos/${v.body.video.id}`, { token: host.token })).status).toBe(
      404,
    );
  });

  it('a small real video by tus becomes ready with its ffprobe duration, served by a signed URL with Range; deleting it deletes the file', async () => {
    const host = await speaker(t.url, 'Uploader');
    const data = makeVideo(mkdtempSync(path.join(tmpdir(), 'rstream-video-')), 2);
    const huge = await api(t.url, 'POST', '/api/videos', {
      body: { title: 'Huge', sizeBytes: 2 ** 40 },
      token: host.token,
    });
    expect(huge.status).toBe(413);
    const created = await api<{ video: VideoBody }>(t.url, 'POST', '/api/videos', {
      body: { title: 'Clip' },
      token: host.token,
    });
    expect(created.body.video.status).toBe('uploading');
    const id = created.body.video.id;
    const other = await speaker(t.url, 'Stranger');
    expect((await tusCreateVideo(t.url, other.token, id, data.length)).status).toBe(403);
    expect((await tusCreateVideo(t.url, host.token, id, data.length, 'text/html')).status).toBe(415);
    const up = await tusCreateVideo(t.url, host.token, id, data.length);
    expect(up.status).toBe(201);
    expect(await tusPatchAll(up.url!, host.token, data)).toBe(204);
    const ready = await waitFor('the video to be processed', async () => {
      const r = await api<{ video: VideoBody }>(t.url, 'GET', `/api/videos/${id}`, { token: host.token });
      return ['ready', 'failed'].includes(r.body.video.status) ? r.body.video : undefined;
    });
    expect(ready.status).toBe('ready');
    expect(ready.sizeBytes).toBe(data.length);
    expect(Math.abs(ready.durationMs! - 2000)).toBeLessThan(200);
    const part = await fetch(`${t.url}${ready.mediaUrl}`, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(`${t.url}/api/media/videos/${id}`)).status).toBe(401);
    const key = `videos/${id}/media.mp4`;
    expect(await t.app.fastify.storage.stat(key)).not.toBeNull();
    expect((await api(t.url, 'DELETE', `/api/videos/${id}`, { token: host.token })).status).toBe(204);
    expect(await t.app.fastify.storage.stat(key)).toBeNull();

    // an account's uploaded videos go with the account: the files first, nothing left orphaned
    const again = await api<{ video: VideoBody }>(t.url, 'POST', '/api/videos', {
      body: { title: 'Kept' },
      token: host.token,
    });
    const up2 = await tusCreateVideo(t.url, host.token, again.body.video.id, data.length);
    expect(await tusPatchAll(up2.url!, host.token, data)).toBe(204);
    await waitFor('the second video to be processed', async () => {
      const r = await api<{ video: VideoBody }>(t.url, 'GET', `/api/videos/${again.body.video.id}`, {
        token: host.token,
      });
      return r.body.video.status === 'ready' ? true : undefined;
    });
    const key2 = `videos/${again.body.video.id}/media.mp4`;
    expect(await t.app.fastify.storage.stat(key2)).not.toBeNull();
    const gone = await api(t.url, 'DELETE', '/api/auth/me', {
      body: { password: 'correct-horse-1' },
      token: host.token,
    });
    expect(gone.status).toBe(204);
    expect(await t.app.fastify.storage.stat(key2)).toBeNull();
    const orphans = await t.app.fastify.ownedFiles.orphans();
    expect(orphans.filter((o) => o.family === 'videos')).toEqual([]);
  });

  it('play / pause / seek reach the listener at the right position; a late joiner too; listeners cannot control; signals are stamped (axis=video)', async () => {
    const host = await speaker(t.url, 'Facilitator');
    const v = await addUrlVideo(t.url, host.token, 'Ten minutes', 600_000);
    const { s, people } = await videoSession(t.url, host.token, v.body.video.id, ['Ann', 'Ben']);
    const h = await ws(s.id, host.token);
    const ann = await ws(s.id, people[0]!.participantToken);
    const first = await ann.next(isState());
    expect(first).toMatchObject({ playing: false, positionMs: 0, seq: 0, durationMs: 600_000 });

    ann.send({ type: 'video:control', action: 'play', positionMs: 0 });
    expect((await ann.next((m) => m.type === 'error')).code).toBe('FORBIDDEN');

    h.send({ type: 'video:control', action: 'seek', positionMs: 120_000 });
    h.send({ type: 'video:control', action: 'play', positionMs: 120_000 });
    const playing = await ann.next(isState((m) => m.playing === true));
    expect(playing.seq).toBe(2);
    expect(
      Math.abs(positionNow(playing) - 120_000 - (Date.now() - (playing.serverTime as number))),
    ).toBeLessThan(50);

    // a signal while playing: stamped at the video position
    ann.send({ type: 'understanding:set', level: 2 });
    // the late joiner gets the running position
    const ben = await ws(s.id, people[1]!.participantToken);
    const late = await ben.next(isState());
    expect(late.seq).toBe(2);
    const sent = Date.now();
    expect(Math.abs(positionNow(late, sent) - positionNow(playing, sent))).toBeLessThan(5);
    expect(positionNow(late, sent)).toBeGreaterThan(120_000);

    const update = await h.next((m) => m.type === 'understanding:update' && m.n === 1);
    expect(update.videoPlaying).toBe(true);
    expect(update.videoMs as number).toBeGreaterThanOrEqual(120_000);

    const points = await waitFor('points on the video axis', async () => {
      const r = await api<Points>(t.url, 'GET', `/api/sessions/${s.id}/understanding?axis=video`, {
        token: host.token,
      });
      return r.body.points.length >= 2 ? r.body : undefined;
    });
    expect(points.axis).toBe('video');
    expect(points.points[0]!.t).toBeGreaterThanOrEqual(120_000);
    expect(points.points[0]!.t).toBeLessThan(130_000);
    expect(points.points[0]!.avg).toBe(2);

    h.send({ type: 'video:control', action: 'pause', positionMs: 130_000 });
    const paused = await ben.next(isState((m) => m.playing === false && (m.seq as number) === 3));
    expect(paused.positionMs).toBe(130_000);
    ben.send({ type: 'understanding:set', level: 5 });
    const pausedPoints = await waitFor('paused seconds at the paused position', async () => {
      const r = await api<Points>(t.url, 'GET', `/api/sessions/${s.id}/understanding?axis=video`, {
        token: host.token,
      });
      return (r.body.pausedPoints ?? []).some((p) => p.t === 130_000) ? r.body.pausedPoints! : undefined;
    });
    expect(pausedPoints.every((p) => p.t === 120_000 || p.t === 130_000)).toBe(true);
    const row = await t.app.fastify.db.kysely
      .selectFrom('signals')
      .select(['level', 'video_ms', 'video_playing'])
      .where('session_id', '=', s.id)
      .orderBy('id')
      .execute();
    expect(row.map((r) => [r.level, r.video_playing])).toEqual([
      [2, true],
      [5, false],
    ]);
    expect(Number(row[0]!.video_ms)).toBeGreaterThanOrEqual(120_000);
    expect(Number(row[1]!.video_ms)).toBe(130_000);

    // a viewer's state never moves the group, and the facilitator sees it
    ben.send({ type: 'video:viewer', state: 'buffering', positionMs: 100_000 });
    const viewers = await h.next(
      (m) => m.type === 'video:viewers' && (m.viewers as Msg[]).some((x) => x.state === 'buffering'),
    );
    expect(viewers.total).toBe(2);
    const entry = (viewers.viewers as Msg[]).find((x) => x.participantId === people[1]!.participantId)!;
    expect(entry).toMatchObject({ name: 'Ben', driftMs: -30_000 });
    expect(h.messages.filter(isState()).at(-1)!.seq).toBe(3);
    h.send({ type: 'video:viewer', state: 'ready', positionMs: 0 });
    expect((await h.next((m) => m.type === 'error')).code).toBe('FORBIDDEN');
  });

  it('while the video plays the speaker gets an update for every played second, nobody pressing anything; none while paused', async () => {
    const host = await speaker(t.url, 'Metronome');
    const v = await addUrlVideo(t.url, host.token, 'Quiet', 600_000);
    const { s, people } = await videoSession(t.url, host.token, v.body.video.id, ['Dee']);
    const h = await ws(s.id, host.token);
    const dee = await ws(s.id, people[0]!.participantToken);
    // the level is given while the video stands still
    dee.send({ type: 'understanding:set', level: 4 });
    await h.next((m) => m.type === 'understanding:update' && m.n === 1 && m.videoPlaying === false);
    h.send({ type: 'video:control', action: 'play', positionMs: 5_000 });
    await dee.next(isState((m) => m.playing === true));
    const playedSeconds = () =>
      [
        ...new Set(
          h.messages
            .filter((m) => m.type === 'understanding:update' && m.videoPlaying === true)
            .map((m) => Math.floor((m.videoMs as number) / 1000)),
        ),
      ].sort((a, b) => a - b);
    const secs = await waitFor('three played seconds', async () =>
      playedSeconds().length >= 3 ? playedSeconds() : undefined,
    );
    // consecutive seconds from where play started, each with Dee's carried level
    expect(secs[0]).toBe(5);
    expect(secs.slice(0, 3)).toEqual([5, 6, 7]);
    const last = h.messages.filter((m) => m.type === 'understanding:update').at(-1)!;
    expect(last.participants).toEqual([{ participantId: people[0]!.participantId, level: 4 }]);

    h.send({ type: 'video:control', action: 'pause', positionMs: 8_000 });
    await dee.next(isState((m) => m.playing === false && (m.seq as number) === 2));
    // paused: updates come from changes only (each change one seq, no seconds in between)
    const at = h.messages.length;
    dee.send({ type: 'understanding:set', level: 3 });
    const u1 = await h.next((m) => m.type === 'understanding:update' && m.avg === 3, 5000, at);
    const at2 = h.messages.length;
    dee.send({ type: 'understanding:set', level: 2 });
    const u2 = await h.next((m) => m.type === 'understanding:update' && m.avg === 2, 5000, at2);
    expect(u2.seq).toBe((u1.seq as number) + 1);
    expect(u2.videoMs).toBe(8_000);
  });

  it('pausing at the end is automatic', async () => {
    const host = await speaker(t.url, 'Shorty');
    const v = await addUrlVideo(t.url, host.token, 'Short', 1500);
    const { s, people } = await videoSession(t.url, host.token, v.body.video.id, ['Cy']);
    const h = await ws(s.id, host.token);
    const cy = await ws(s.id, people[0]!.participantToken);
    h.send({ type: 'video:control', action: 'play', positionMs: 1000 });
    const end = await cy.next(
      isState((m) => m.ended === true),
      5000,
    );
    expect(end).toMatchObject({ playing: false, positionMs: 1500, seq: 2 });
  });

  it('two sessions on the same video give two cohorts on the video time; the dips name minutes every cohort is low in', async () => {
    const host = await speaker(t.url, 'Teacher');
    const v = await addUrlVideo(t.url, host.token, 'Course', 600_000);
    const showing = async (title: string, level: number) => {
      const { s, people } = await videoSession(
        t.url,
        host.token,
        v.body.video.id,
        ['Viewer'],
        {},
        undefined,
        title,
      );
      const h = await ws(s.id, host.token);
      const l = await ws(s.id, people[0]!.participantToken);
      h.send({ type: 'video:control', action: 'play', positionMs: 60_000 });
      await l.next(isState((m) => m.playing === true));
      l.send({ type: 'understanding:set', level });
      await waitFor('stored seconds', async () => {
        const r = await api<Points>(t.url, 'GET', `/api/sessions/${s.id}/understanding?axis=video`, {
          token: host.token,
        });
        return r.body.points.length >= 2 ? true : undefined;
      });
      return s;
    };
    const a = await showing('Monday', 1);
    const b = await showing('Tuesday', 2);
    const other = await speaker(t.url, 'Nosy');
    expect(
      (await api(t.url, 'GET', `/api/videos/${v.body.video.id}/cohorts`, { token: other.token })).status,
    ).toBe(403);
    const c = await api<{
      cohorts: { sessionId: string; participants: number; points: { t: number; avg: number; n: number }[] }[];
      dips: { startMs: number; endMs: number; cohorts: number }[];
    }>(t.url, 'GET', `/api/videos/${v.body.video.id}/cohorts`, { token: host.token });
    expect(c.status).toBe(200);
    expect(c.body.cohorts.map((x) => x.sessionId)).toEqual([a.id, b.id]);
    for (const [i, cohort] of c.body.cohorts.entries()) {
      expect(cohort.participants).toBe(1);
      expect(cohort.points[0]!.t).toBeGreaterThanOrEqual(60_000);
      expect(cohort.points[0]!.avg).toBe(i + 1);
      expect(cohort.points[0]!.n).toBe(1);
    }
    // both below the warning threshold (2.5) in minute 1 of the video
    expect(c.body.dips[0]).toMatchObject({ startMs: 60_000, cohorts: 2 });

    // the second showing's report carries the video section: both cohorts, the dip, in the HTML too
    const ended = await api(t.url, 'PUT', `/api/sessions/${b.id}`, {
      body: { status: 'ended' },
      token: host.token,
    });
    expect(ended.status).toBe(200);
    const report = (await waitReady(t.url, host.token, b.id, 30_000)) as unknown as {
      video: { cohorts: { sessionId: string; current: boolean }[]; dips: { startMs: number }[] } | null;
    };
    expect(report.video?.cohorts.map((x) => [x.sessionId, x.current])).toEqual([
      [a.id, false],
      [b.id, true],
    ]);
    expect(report.video?.dips[0]?.startMs).toBe(60_000);
    const html = await fetch(`${t.url}/api/sessions/${b.id}/report.html?lang=en`, {
      headers: { authorization: `Bearer ${host.token}` },
    });
    expect(await html.text()).toContain('The video across its showings');

    // `rstream report <id>` remakes it and prints the same section as text
    const text = await makeReportNow(t.app.db.kysely, b.id);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^report ready for "Tuesday"/);
    expect(lines[1]).toBe('The video across its showings: “Course”: 2 showings, on the video’s own time.');
    expect(lines.filter((l) => /^ {2}(Monday|Tuesday)/.test(l))).toHaveLength(2);
    expect(lines.find((l) => l.startsWith('  Tuesday'))).toContain('(this one)');
    expect(text).toContain('Minutes where every showing dips (worth re-making):');
    expect(text).toMatch(/ {2}1:00–\S+ of the video: average 1\.50 over 2 showings/);
  });
});
