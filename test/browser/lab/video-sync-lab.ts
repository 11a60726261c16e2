/**
 * `npx tsx test/browser/lab/video-sync-lab.ts`: the web side's sync engine measured in Chromium
 * against a stand-in for the server's video protocol (welcome, pong with serverTime, video:state
 * with seq) — to measure the CLIENT's correction before the real server's video feature exists.
 * The real end-to-end test is test/browser/video-sync.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'rstream-lab-'));
const file = path.join(dir, 'pattern.mp4');
spawnSync(
  'ffmpeg',
  [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=60:size=320x240:rate=25',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=60',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '25',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    '-movflags',
    '+faststart',
    file,
  ],
  { stdio: 'inherit' },
);
const js = buildSync({
  entryPoints: [path.join(here, 'video-lab-page.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  loader: { '.json': 'json' },
}).outputFiles[0]!.text;

let state = { playing: false, positionMs: 0, rate: 1, serverTime: Date.now(), seq: 1 };
const sockets = new Set<WebSocket>();
const size = statSync(file).size;
const server = http.createServer((req, res) => {
  if (req.url === '/lab.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  if (req.url === '/pattern.mp4') {
    const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Number(m[2]) : size - 1;
    res.writeHead(m ? 206 : 200, {
      'content-type': 'video/mp4',
      'accept-ranges': 'bytes',
      'content-length': end - start + 1,
      ...(m ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    });
    return void createReadStream(file, { start, end }).pipe(res);
  }
  res
    .writeHead(200, { 'content-type': 'text/html' })
    .end('<!doctype html><body><script type="module" src="/lab.js"></script>');
});
const wss = new WebSocketServer({ server });
const send = (ws: WebSocket, m: unknown) => ws.send(JSON.stringify(m));
wss.on('connection', (ws) => {
  sockets.add(ws);
  send(ws, {
    type: 'welcome',
    protocolVersion: 1,
    role: 'listener',
    participantId: 'p',
    level: null,
    serverTime: Date.now(),
    tickMs: 250,
  });
  send(ws, { type: 'video:state', ...state });
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.type === 'ping') send(ws, { type: 'pong', id: m.id, serverTime: Date.now() });
  });
  ws.on('close', () => sockets.delete(ws));
});
const now = () => state.positionMs + (state.playing ? (Date.now() - state.serverTime) * state.rate : 0);
const setState = (patch: Partial<typeof state>) => {
  state = { ...state, positionMs: now(), ...patch, serverTime: Date.now(), seq: state.seq + 1 };
  for (const ws of sockets) send(ws, { type: 'video:state', ...state });
};
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
});
const open = async () => {
  const p = await (await browser.newContext()).newPage();
  p.on('pageerror', (e) => console.error('pageerror', e.message));
  await p.goto(base);
  return p;
};
const openReady = async () => {
  const p = await open();
  await p.waitForSelector('body[data-viewer-state="ready"]', { timeout: 30_000, state: 'attached' });
  return p;
};
const probe = (p: Page) =>
  p.evaluate(() => {
    const v = document.querySelector('video')!;
    return { pos: v.currentTime * 1000, at: performance.timeOrigin + performance.now() };
  });
const errs = async (f: Page, ls: Page[]) => {
  const [a, ...b] = await Promise.all([probe(f), ...ls.map(probe)]);
  return b.map((l) => Math.abs(l.pos - (a!.pos + (l.at - a!.at))));
};
const sample = async (f: Page, ls: Page[], ms: number) => {
  const out: number[] = [];
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250)))
    out.push(...(await errs(f, ls)));
  return out;
};
const pct = (xs: number[], q: number) =>
  Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((q / 100) * xs.length))]!);
const until = async (f: Page, ls: Page[], below: number) => {
  const t0 = Date.now();
  while (Math.max(...(await errs(f, ls))) >= below) await new Promise((r) => setTimeout(r, 50));
  return Date.now() - t0;
};

const [fac, a, b] = [await openReady(), await openReady(), await openReady()];
setState({ playing: true });
await until(fac, [a, b], 500);
const SECONDS = Number(process.env.LAB_SECONDS ?? 30);
const play = await sample(fac, [a, b], SECONDS * 1000);
setState({ positionMs: now() + 10_000 });
const seekSettle = await until(fac, [a, b], 500);
const afterSeek = await sample(fac, [a, b], 10_000);
const t0 = Date.now();
const late = await open();
await until(fac, [late], 500);
const late500 = Date.now() - t0;
await until(fac, [late], 100);
const late100 = Date.now() - t0;
console.log(
  JSON.stringify({
    playSeconds: SECONDS,
    playSamples: play.length,
    playP50Ms: pct(play, 50),
    playP95Ms: pct(play, 95),
    playMaxMs: pct(play, 100),
    seekSettleMs: seekSettle,
    afterSeekP50Ms: pct(afterSeek, 50),
    afterSeekP95Ms: pct(afterSeek, 95),
    lateJoinWithin500Ms: late500,
    lateJoinWithin100Ms: late100,
  }),
);
await browser.close();
server.close();
process.exit(0);
