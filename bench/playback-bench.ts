/**
 * Recording and playback figures, measured in Chromium against a real server in this process:
 *  - upload: bytes/s the presenter's browser gets acknowledged while recording a 1080p (fake)
 *    screen + microphone, and the server process's CPU while recording, beside the same live
 *    session for the same time without recording (baseline, same run);
 *  - stop → every byte acknowledged (client), stop → `ready` (server);
 *  - seek latency in the playback page: a click on the graph → the video's `seeked`, beside
 *    setting `video.currentTime` directly to the same targets (the browser's own floor).
 * Run: npm run build && npx tsx bench/playback-bench.ts [recordSeconds=20] [seeks=30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/config.js';
import { createPresentation, hostScreen, registerSpeaker } from '../test/browser/flows.js';
import { launchBrowser, newContext } from '../test/browser/harness.js';
import { controlNumber, endSession, login, listRecordings } from '../test/browser/recording-flows.js';

const recordSeconds = Number(process.argv[2] ?? 20);
const seeks = Number(process.argv[3] ?? 30);

const dataDir = mkdtempSync(path.join(tmpdir(), 'rstream-playback-bench-'));
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const app = await buildApp(config, { logger: pino({ level: 'silent' }), authRateLimitPerMin: 10_000 });
const base = await app.listen();
const browser = await launchBrowser();

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${pct(s, 0.5).toFixed(1)} ms, p95 ${pct(s, 0.95).toFixed(1)} ms, max ${(s[s.length - 1] ?? NaN).toFixed(1)} ms (n=${s.length})`;
};
const until = async (fn: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Server CPU (this process: the server, plus the bench's small share) over `ms`, in % of one core. */
async function cpuOver(ms: number, during?: (elapsed: number) => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 250));
    await during?.(performance.now() - t0);
  }
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) / 1000 / (performance.now() - t0)) * 100;
}

async function seekLatencies(page: Page): Promise<{ graph: number[]; direct: number[] }> {
  await page.evaluate(`(() => {
    const over = document.querySelector('[data-testid="playback-graph"] .u-over');
    const video = document.querySelector('[data-testid="playback-video"]');
    window.__seekDone = [];
    over.addEventListener('pointerdown', () => { window.__seekStart = performance.now(); }, { capture: true });
    video.addEventListener('seeked', () => { if (window.__seekStart) window.__seekDone.push(performance.now() - window.__seekStart); window.__seekStart = 0; });
  })()`);
  const video = page.locator('[data-testid="playback-video"]');
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  const endT = Number(await page.locator('[data-testid="playback-graph"]').getAttribute('data-end-t'));
  const offsetMs = Number((await page.evaluate(`window.__offsetMs`)) ?? 0);
  await page.locator(`[data-testid="playback-graph"] .u-over`).scrollIntoViewIfNeeded();
  const box = (await page.locator(`[data-testid="playback-graph"] .u-over`).boundingBox())!;
  const graph: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < seeks; i++) {
    const media = (((i * 7919) % 1000) / 1000) * duration * 0.9 + 0.2;
    // Through the page: a click on the graph at the session time of that media time.
    const x = box.x + ((offsetMs + media * 1000) / endT) * box.width;
    const before = await page.evaluate(`window.__seekDone.length`);
    await page.mouse.click(x, box.y + box.height / 2);
    await until(
      async () => (await page.evaluate(`window.__seekDone.length`)) > (before as number),
      10_000,
      'seeked',
    );
    graph.push((await page.evaluate(`window.__seekDone[window.__seekDone.length - 1]`)) as number);
    // Baseline: the same target set on the element directly.
    direct.push(
      await video.evaluate(
        (v: HTMLVideoElement, to: number) =>
          new Promise<number>((resolve) => {
            const t0 = performance.now();
            v.addEventListener('seeked', () => resolve(performance.now() - t0), { once: true });
            v.currentTime = Math.max(0, to - 0.05);
          }),
        media,
      ),
    );
  }
  return { graph, direct };
}

try {
  const ctx = await newContext(browser, { locale: 'en-US' });
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  const email = await registerSpeaker(page, base);
  await createPresentation(page, base, 'Playback bench');
  const { id } = await hostScreen(page);
  await page.click('[data-testid="start-session"]');
  await page.locator('[data-testid="session-status"][data-status="live"]').waitFor();

  const idleCpu = await cpuOver(Math.min(10_000, recordSeconds * 1000));

  await page.click('[data-testid="record-button"]');
  await page
    .locator('[data-testid="recording-control"][data-phase="recording"]')
    .waitFor({ timeout: 15_000 });
  const t0 = Date.now();
  const acked0 = await controlNumber(page, 'data-acked-bytes');
  const recCpu = await cpuOver(recordSeconds * 1000);
  const ackedBytes = (await controlNumber(page, 'data-acked-bytes')) - acked0;
  const recordedBytes = await controlNumber(page, 'data-recorded-bytes');
  const uploadSeconds = (Date.now() - t0) / 1000;

  const stopAt = Date.now();
  await page.click('[data-testid="record-stop"]');
  await page
    .locator('[data-testid="recording-control"][data-upload-phase="complete"]')
    .waitFor({ timeout: 60_000 });
  const allAckedMs = Date.now() - stopAt;
  const token = await login(base, email);
  await until(async () => (await listRecordings(base, token, id))[0]?.status === 'ready', 120_000, 'ready');
  const readyMs = Date.now() - stopAt;
  const [rec] = await listRecordings(base, token, id);

  await endSession(page);
  await page.goto(`${base}/archive/${id}`);
  const video = page.locator('[data-testid="playback-video"]');
  await until(
    async () => (await video.evaluate((v: HTMLVideoElement) => v.readyState)) >= 1,
    20_000,
    'metadata',
  );
  await page.evaluate(`window.__offsetMs = ${rec?.offsetMs ?? 0}`);
  const { graph, direct } = await seekLatencies(page);

  const mbps = (b: number) => ((b * 8) / 1e6).toFixed(2);
  console.log(
    `recording ${uploadSeconds.toFixed(1)} s of a 1920×1080 fake screen + microphone (${rec?.mediaType}, ffmpeg: ${config.RECORDING_FFMPEG})`,
  );
  console.log(
    `  upload acknowledged: ${(ackedBytes / uploadSeconds / 1024).toFixed(0)} KiB/s (${mbps(ackedBytes / uploadSeconds)} Mbit/s); recorded ${(recordedBytes / 1024).toFixed(0)} KiB`,
  );
  console.log(
    `  server process CPU: ${recCpu.toFixed(1)} % of one core while recording  (baseline, same live session not recording: ${idleCpu.toFixed(1)} %)`,
  );
  console.log(
    `  stop → every byte acknowledged: ${allAckedMs} ms; stop → ready: ${readyMs} ms (${rec?.sizeBytes} bytes, ${rec?.durationMs} ms)`,
  );
  console.log(`seek latency, click on the graph → seeked: ${stats(graph)}`);
  console.log(`  baseline, video.currentTime set directly → seeked: ${stats(direct)}`);
  await ctx.close();
} finally {
  await browser.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
