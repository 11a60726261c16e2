/**
 * Recording upload figures: server CPU and bytes/s while a presenter uploads a 1080p screen
 * recording over tus (~2.5 Mbit/s, one PATCH per second), PATCH latency, and the time from the
 * last byte + stop to `ready` — beside a baseline from the same run: a plain HTTP PUT receiver
 * (append + fsync, no auth, no tus) taking the same bytes at the same pace on the same disk.
 * Run: npx tsx bench/upload-bench.ts [seconds=20] [--ffmpeg=off]
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20);
const FFMPEG = process.argv.includes('--ffmpeg=off') ? 'off' : 'auto';
const RATE_BPS = 2.5e6 / 8; // 2.5 Mbit/s, a 1080p screen recording
const work = mkdtempSync(path.join(tmpdir(), 'rstream-upload-bench-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

function media(): Buffer {
  if (!hasFfmpeg) return randomBytes(Math.round(RATE_BPS * SECONDS));
  const file = path.join(work, 'screen.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=duration=${SECONDS}:size=1920x1080:rate=30`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${SECONDS}`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '2300k', '-maxrate', '2400k', '-bufsize', '1200k'],
    ...['-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k'],
    ...['-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', file],
  ]);
  return readFileSync(file);
}

const CLK_TCK = 100;
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitHttp(url: string, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** Sends `data` in 1 s slices at the recording's pace; returns latencies and the CPU the server used. */
async function paced(
  pid: number,
  send: (offset: number, chunk: Buffer, last: boolean) => Promise<void>,
  data: Buffer,
) {
  const slice = Math.ceil(data.length / SECONDS);
  const latencies: number[] = [];
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  for (let i = 0, off = 0; off < data.length; i++, off += slice) {
    await sleepUntil(t0 + i * 1000);
    const chunk = data.subarray(off, Math.min(data.length, off + slice));
    const s = performance.now();
    await send(off, chunk, off + chunk.length >= data.length);
    latencies.push(performance.now() - s);
  }
  const wall = (Date.now() - t0) / 1000;
  return {
    cpuPct: ((cpuSeconds(pid) - cpu0) / wall) * 100,
    wall,
    latencies,
    bytesPerSec: data.length / wall,
  };
}

const PLAIN_PUT_SERVER = `
const http = require('node:http'); const fs = require('node:fs');
const file = process.argv[1]; const fd = fs.openSync(file, 'w');
http.createServer((req, res) => {
  const chunks = []; req.on('data', (c) => chunks.push(c));
  req.on('end', () => { const b = Buffer.concat(chunks);
    fs.writeSync(fd, b, 0, b.length, Number(req.headers['x-offset'])); fs.fsyncSync(fd);
    res.writeHead(204).end(); });
}).listen(Number(process.argv[2]), '127.0.0.1');`;

async function main() {
  const data = media();
  console.log(
    `upload-bench: ${SECONDS} s of ${hasFfmpeg ? '1080p30 H.264 fragmented MP4' : 'random bytes'}, ${(data.length / 1e6).toFixed(2)} MB (${((data.length * 8) / SECONDS / 1e6).toFixed(2)} Mbit/s), ffmpeg ${FFMPEG === 'off' || !hasFfmpeg ? 'off' : 'on'}`,
  );

  // ---- baseline: plain PUT receiver, same disk, same pace ----
  const putPort = await freePort();
  const put = spawn(
    process.execPath,
    ['-e', PLAIN_PUT_SERVER, path.join(work, 'plain.bin'), String(putPort)],
    { stdio: 'inherit' },
  );
  children.push(put);
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${putPort}/`, {
        method: 'PUT',
        headers: { 'x-offset': '0' },
        body: Buffer.alloc(1),
      });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const base = await paced(
    put.pid!,
    async (offset, chunk) => {
      await fetch(`http://127.0.0.1:${putPort}/`, {
        method: 'PUT',
        headers: { 'x-offset': String(offset) },
        body: chunk,
      });
    },
    data,
  );
  put.kill();

  // ---- R-Stream: tus PATCHes through auth, the durable file store, DB updates, WS status ----
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(work, 'data'),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      RECORDING_FFMPEG: FFMPEG,
      WORKERS: '1',
      RATE_LIMIT_AUTH_PER_MIN: '1000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(server);
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/api/health`);
  const j = async (method: string, route: string, body?: unknown, token?: string) => {
    const r = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await r.json().catch(() => ({}))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const email = `bench-${Date.now()}@example.test`;
  await j('POST', '/api/auth/register', { email, password: 'correct-horse-1', username: 'Bench' });
  const { accessToken: token } = await j('POST', '/api/auth/login', { email, password: 'correct-horse-1' });
  const session = await j('POST', '/api/sessions', { title: 'Bench', mode: 'presentation' }, token);
  await j('PUT', `/api/sessions/${session.id}`, { status: 'live' }, token);
  const { recording } = await j('POST', `/api/sessions/${session.id}/recordings`, {}, token);
  const created = await fetch(`${url}/api/uploads`, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-defer-length': '1',
      'upload-metadata': `recordingId ${Buffer.from(recording.id).toString('base64')}`,
      authorization: `Bearer ${token}`,
    },
  });
  const uploadUrl = new URL(created.headers.get('location')!, url).toString();
  // idle baseline of the same server over a few seconds
  const idle0 = cpuSeconds(server.pid!);
  await new Promise((r) => setTimeout(r, 3000));
  const idlePct = ((cpuSeconds(server.pid!) - idle0) / 3) * 100;

  let lastByteAt = 0;
  const tus = await paced(
    server.pid!,
    async (offset, chunk, last) => {
      const r = await fetch(uploadUrl, {
        method: 'PATCH',
        headers: {
          'tus-resumable': '1.0.0',
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(offset),
          authorization: `Bearer ${token}`,
          ...(last ? { 'upload-length': String(data.length) } : {}),
        },
        body: chunk,
      });
      if (r.status !== 204) throw new Error(`PATCH ${r.status}`);
      if (last) lastByteAt = performance.now();
    },
    data,
  );
  await j('PUT', `/api/sessions/${session.id}/recordings/${recording.id}`, { status: 'stopped' }, token);
  let ready: Record<string, unknown> | undefined;
  while (!ready) {
    const list = await j('GET', `/api/sessions/${session.id}/recordings`, undefined, token);
    const r = list.recordings?.[0];
    if (r?.status === 'ready' || r?.status === 'failed') ready = r;
    else await new Promise((res) => setTimeout(res, 20));
  }
  const stopToReadyMs = performance.now() - lastByteAt;
  // baseline for stop → ready: copying the same bytes into the store (what the finish must at least do)
  const c0 = performance.now();
  execFileSync('cp', [path.join(work, 'plain.bin'), path.join(work, 'copy.bin')]);
  execFileSync('sync', [path.join(work, 'copy.bin')]);
  const copyMs = performance.now() - c0;

  const row = (name: string, r: typeof tus) =>
    `${name.padEnd(34)} ${r.cpuPct.toFixed(2).padStart(7)} % ${(r.bytesPerSec / 1e3).toFixed(0).padStart(7)} kB/s ${pct(r.latencies, 0.5).toFixed(1).padStart(8)} ms ${pct(r.latencies, 0.99).toFixed(1).padStart(8)} ms`;
  console.log(
    `\n${'receiver'.padEnd(34)} ${'CPU'.padStart(9)} ${'bytes/s'.padStart(12)} ${'PATCH p50'.padStart(11)} ${'p99'.padStart(11)}`,
  );
  console.log(row('plain PUT (append + fsync)', base));
  console.log(row('R-Stream tus (auth, fsync, DB, WS)', tus));
  console.log(`${'R-Stream idle (same process)'.padEnd(34)} ${idlePct.toFixed(2).padStart(7)} %`);
  console.log(
    `\nstop → ready: ${stopToReadyMs.toFixed(0)} ms (status ${String(ready.status)}, ${String(ready.durationMs)} ms media, ${String(ready.sizeBytes)} bytes); baseline cp + sync of the same bytes: ${copyMs.toFixed(0)} ms`,
  );
  server.kill('SIGTERM');
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
