import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { api, goLive, join } from '../helpers.js';

export type Msg = Record<string, unknown>;
export interface VideoBody {
  id: string;
  status: string;
  source: string;
  durationMs: number | null;
  mediaUrl: string | null;
  usedBy: number;
  sizeBytes: number | null;
}

/** A real 2-second MP4 (ffmpeg testsrc), made by the test. */
export function makeVideo(dir: string, seconds = 2): Buffer {
  const file = path.join(dir, `v-${Date.now()}.mp4`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=160x120:rate=10`],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file],
  ]);
  return readFileSync(file);
}

export const addUrlVideo = (base: string, token: string, title = 'Lecture', durationMs = 600_000) =>
  api<{ video: VideoBody }>(base, 'POST', '/api/videos', {
    body: { title, url: 'https://media.example.test/lecture.mp4', durationMs },
    token,
  });

/** A video session on `videoId`, live, with listeners joined (on `joinBase(i)`). */
export async function videoSession(
  base: string,
  token: string,
  videoId: string | null,
  names: string[] = [],
  video: Record<string, unknown> = {},
  joinBase: (i: number) => string = () => base,
  title = 'Watching together',
) {
  const r = await api<{ id: string; code: string; settings: Record<string, unknown>; error?: unknown }>(
    base,
    'POST',
    '/api/sessions',
    { body: { title, mode: 'video', settings: { video: { videoId, ...video } } }, token },
  );
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  if (videoId) {
    const live = await goLive(base, token, r.body.id);
    if (live.status !== 200) throw new Error(`go live failed: ${live.status} ${JSON.stringify(live.body)}`);
  }
  const people = [];
  for (const [i, n] of names.entries()) people.push(await join(joinBase(i), r.body.code, n));
  return { s: r.body, people };
}

export const isState =
  (pred: (m: Msg) => boolean = () => true) =>
  (m: Msg) =>
    m.type === 'video:state' && pred(m);

/** Where a `video:state` says the video is at `now` (the clients' rule). */
export const positionNow = (m: Msg, now = Date.now()) =>
  (m.playing as boolean)
    ? (m.positionMs as number) + (now - (m.serverTime as number)) * (m.rate as number)
    : (m.positionMs as number);

export const b64 = (s: string) => Buffer.from(s).toString('base64');

export async function tusCreateVideo(
  base: string,
  token: string,
  videoId: string,
  length: number,
  type = 'video/mp4',
) {
  const res = await fetch(`${base}/api/uploads`, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(length),
      'upload-metadata': `videoId ${b64(videoId)},filetype ${b64(type)}`,
      authorization: `Bearer ${token}`,
    },
  });
  const location = res.headers.get('location');
  return {
    status: res.status,
    url: location ? new URL(location, `${base}/api/uploads`).toString() : null,
    text: await res.text(),
  };
}

export async function tusPatchAll(url: string, token: string, data: Buffer) {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
      authorization: `Bearer ${token}`,
    },
    body: data,
  });
  return res.status;
}
