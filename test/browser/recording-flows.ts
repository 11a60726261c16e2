import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Recording steps shared by the recording browser tests and the playback bench. */

/**
 * Keeps a copy of every chunk MediaRecorder hands the page (`window.__recorded`), so a test can
 * compare the server's file with exactly what was recorded. A string: tsx would wrap named
 * inner functions in a helper the page does not have.
 */
export const CAPTURE_CHUNKS_SCRIPT = `(() => {
  const Orig = window.MediaRecorder;
  if (!Orig) return;
  window.__recorded = [];
  window.MediaRecorder = class extends Orig {
    constructor(stream, options) {
      super(stream, options);
      this.addEventListener('dataavailable', (e) => { if (e.data.size) window.__recorded.push(e.data); });
    }
  };
})();`;

/** The bytes the page's MediaRecorder produced so far, concatenated. */
export async function recordedBytes(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const chunks = (window as unknown as { __recorded?: Blob[] }).__recorded ?? [];
    const buf = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let s = '';
    for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return btoa(s);
  });
  return Buffer.from(b64, 'base64');
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export const control = (page: Page) => page.locator('[data-testid="recording-control"]');

export async function controlNumber(page: Page, attr: string): Promise<number> {
  return Number((await control(page).getAttribute(attr)) ?? '0');
}

/** Starts the session and a recording (the click is the user gesture getDisplayMedia needs). */
export async function startSessionAndRecord(page: Page): Promise<void> {
  await page.click('[data-testid="start-session"]');
  await page.locator('[data-testid="session-status"][data-status="live"]').waitFor();
  await page.click('[data-testid="record-button"]');
  await page
    .locator('[data-testid="recording-control"][data-phase="recording"]')
    .waitFor({ timeout: 15_000 });
}

/** Waits until the recording clock shows at least `seconds`. */
export async function recordFor(page: Page, seconds: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const text = (await page.locator('[data-testid="record-time"]').innerText()).trim();
        const [m, s] = text.split(':').map(Number);
        return (m ?? 0) * 60 + (s ?? 0);
      },
      { timeout: seconds * 1000 + 15_000, interval: 200 },
    )
    .toBeGreaterThanOrEqual(seconds);
}

/** Stops with the button and waits until every byte is acknowledged by the server. */
export async function stopAndWaitUploaded(page: Page): Promise<void> {
  await page.click('[data-testid="record-stop"]');
  await page.locator('[data-testid="recording-control"][data-phase="idle"]').waitFor({ timeout: 15_000 });
  await page
    .locator('[data-testid="recording-control"][data-upload-phase="complete"]')
    .waitFor({ timeout: 30_000 });
}

export async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct-horse-1' }),
  });
  const body = (await res.json()) as { accessToken: string };
  return body.accessToken;
}

export interface ServerRecording {
  id: string;
  status: string;
  sizeBytes: number;
  mediaUrl: string | null;
  offsetMs: number;
  durationMs: number | null;
  interrupted: boolean;
}

export async function listRecordings(
  base: string,
  token: string,
  sessionId: string,
): Promise<ServerRecording[]> {
  const res = await fetch(`${base}/api/sessions/${sessionId}/recordings`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { recordings: ServerRecording[] }).recordings;
}

/** Polls until the session has exactly one recording and it is ready; returns it. */
export async function waitForOneReady(
  base: string,
  token: string,
  sessionId: string,
): Promise<ServerRecording> {
  let last: ServerRecording[] = [];
  await expect
    .poll(
      async () => {
        last = await listRecordings(base, token, sessionId);
        return last.map((r) => r.status);
      },
      { timeout: 60_000, interval: 300 },
    )
    .toEqual(['ready']);
  return last[0] as ServerRecording;
}

export async function download(base: string, mediaUrl: string): Promise<Buffer> {
  const res = await fetch(new URL(mediaUrl, base));
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Ends the live session through the header's confirm dialog. */
export async function endSession(page: Page): Promise<void> {
  await page.click('[data-testid="end-session"]');
  await page.click('[data-testid="end-confirm-ok"]');
  await page.locator('[data-testid="session-status"][data-status="ended"]').waitFor();
}

/** Clicks the playback graph at session time `t` (ms) and returns the video's currentTime (ms) once seeked. */
export async function clickGraphAt(page: Page, t: number, endT: number): Promise<void> {
  const over = page.locator('[data-testid="playback-graph"] .u-over');
  await over.scrollIntoViewIfNeeded();
  const box = await over.boundingBox();
  if (!box) throw new Error('graph not visible');
  await page.mouse.click(box.x + (t / endT) * box.width, box.y + box.height / 2);
}
