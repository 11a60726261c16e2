import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { api, createSession, goLive, join, speaker, type TestApp, waitFor } from '../helpers.js';
import { acceptInvitation, invite } from '../security/fixtures.js';

export const hasFfmpeg =
  spawnSync('ffprobe', ['-version']).status === 0 && spawnSync('ffmpeg', ['-version']).status === 0;

/**
 * Real media: a fragmented MP4 (testsrc + a tone, a keyframe every second, `empty_moov`) like
 * MediaRecorder writes, when ffmpeg exists; otherwise random bytes (the server then stores the
 * file as it is and never parses it).
 */
export function makeMedia(dir: string, seconds = 3, size = '320x240'): Buffer {
  if (!hasFfmpeg) return randomBytes(200_000);
  const file = path.join(dir, `src-${randomBytes(3).toString('hex')}.mp4`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=${size}:rate=25`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
    ...['-c:v', 'libx264', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    ...['-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', file],
  ]);
  return readFileSync(file);
}

export interface Stage {
  host: { token: string; userId: string };
  session: { id: string; code: string };
  presenter: { participantToken: string };
  listener: { participantToken: string };
  other: { token: string };
}

/** A live session with a host, an invited presenter, a listener, and another speaker. */
export async function stage(t: TestApp): Promise<Stage> {
  const host = await speaker(t.url, 'Host');
  const other = await speaker(t.url, 'Other');
  const session = await createSession(t.url, host.token, {}, 'Recorded talk');
  await goLive(t.url, host.token, session.id);
  const listener = await join(t.url, session.code, 'Lina');
  const inv = await invite(t.url, host.token, session.id);
  const presenter = (await acceptInvitation(t.url, inv.token)).body;
  return { host, session, presenter, listener, other };
}

export interface RecordingBody {
  id: string;
  status: string;
  sizeBytes: number;
  interrupted: boolean;
  mediaUrl: string | null;
  durationMs: number | null;
  thumbnailsUrl?: string | null;
  failureReason?: string | null;
  pauses: { atMs: number; resumedAtMs: number | null }[];
  endedAt: string | null;
  uploadId?: string | null;
}

export async function createRecording(t: TestApp, s: Stage, token = s.host.token) {
  const r = await api<{ recording: RecordingBody }>(
    t.url,
    'POST',
    `/api/sessions/${s.session.id}/recordings`,
    { body: {}, token },
  );
  if (r.status !== 201) throw new Error(`create recording: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.recording;
}

const b64 = (v: string) => Buffer.from(v).toString('base64');
const TUS = { 'tus-resumable': '1.0.0' };

/** POST /api/uploads (deferred length) → the upload's absolute URL. */
export async function tusCreate(base: string, token: string | undefined, recordingId: string) {
  const res = await fetch(`${base}/api/uploads`, {
    method: 'POST',
    headers: {
      ...TUS,
      'upload-defer-length': '1',
      'upload-metadata': `recordingId ${b64(recordingId)},filetype ${b64('video/mp4')}`,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const location = res.headers.get('location');
  return {
    status: res.status,
    url: location ? new URL(location, `${base}/api/uploads`).toString() : null,
    text: await res.text(),
  };
}

export async function tusPatch(
  url: string,
  token: string,
  offset: number,
  chunk: Buffer,
  totalLength?: number,
) {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: {
      ...TUS,
      authorization: `Bearer ${token}`,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      ...(totalLength !== undefined ? { 'upload-length': String(totalLength) } : {}),
    },
    body: chunk,
  });
  await res.text();
  return { status: res.status, offset: Number(res.headers.get('upload-offset') ?? NaN) };
}

export async function tusHead(url: string, token: string) {
  const res = await fetch(url, { method: 'HEAD', headers: { ...TUS, authorization: `Bearer ${token}` } });
  return { status: res.status, offset: Number(res.headers.get('upload-offset') ?? NaN) };
}

/** Uploads `data` in `chunks` PATCHes; the last one declares the length. */
export async function tusUploadAll(url: string, token: string, data: Buffer, chunkSize: number, from = 0) {
  let offset = from;
  while (offset < data.length) {
    const end = Math.min(data.length, offset + chunkSize);
    const r = await tusPatch(
      url,
      token,
      offset,
      data.subarray(offset, end),
      end === data.length ? data.length : undefined,
    );
    if (r.status !== 204) throw new Error(`PATCH at ${offset}: ${r.status}`);
    offset = r.offset;
  }
  return offset;
}

/**
 * A PATCH whose connection dies half-way: sends `sent` bytes of a longer announced body, waits
 * until `arrived()` says the server has some of them, then destroys the socket.
 */
export async function cutPatch(
  url: string,
  token: string,
  offset: number,
  chunk: Buffer,
  sent: number,
  arrived: () => Promise<boolean>,
) {
  const u = new URL(url);
  const req = http.request({
    host: u.hostname,
    port: u.port,
    path: u.pathname,
    method: 'PATCH',
    headers: {
      ...TUS,
      authorization: `Bearer ${token}`,
      'content-type': 'application/offset+octet-stream',
      'upload-offset': String(offset),
      'content-length': String(chunk.length),
    },
  });
  req.on('error', () => {});
  req.write(chunk.subarray(0, sent));
  await waitFor('bytes of the cut PATCH to arrive', arrived, 10_000);
  req.socket?.destroy();
  req.destroy();
}

export async function listRecordings(t: TestApp, s: Stage) {
  const r = await api<{ recordings: RecordingBody[] }>(
    t.url,
    'GET',
    `/api/sessions/${s.session.id}/recordings`,
    { token: s.host.token },
  );
  return r.body.recordings;
}

export async function waitForStatus(
  t: TestApp,
  s: Stage,
  id: string,
  statuses: string[],
  timeoutMs = 30_000,
) {
  let found: RecordingBody | undefined;
  await waitFor(
    `recording ${id} to become ${statuses.join('|')}`,
    async () => {
      found = (await listRecordings(t, s)).find((r) => r.id === id);
      return !!found && statuses.includes(found.status);
    },
    timeoutMs,
  );
  return found!;
}

export const stop = (t: TestApp, s: Stage, id: string, token = s.host.token) =>
  api<{ recording: RecordingBody }>(t.url, 'PUT', `/api/sessions/${s.session.id}/recordings/${id}`, {
    body: { status: 'stopped' },
    token,
  });

/**
 * One pass of the grace job as it would run `overMs` after now (default: past any grace period),
 * over this stage's recordings only (other test files share the database). Returns how many it finished.
 */
export const afterGrace = (t: TestApp, s: Stage, overMs = 24 * 3600_000) =>
  t.app.recordings.finisher.scan(Date.now() + overMs, (row) => row.session_id === s.session.id);
