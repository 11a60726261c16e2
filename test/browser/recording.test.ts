import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { createPresentation, hostScreen, joinAs, registerSpeaker } from './flows.js';
import { launchBrowser, newContext, screenshot, trackErrors } from './harness.js';
import {
  CAPTURE_CHUNKS_SCRIPT,
  clickGraphAt,
  control,
  controlNumber,
  download,
  endSession,
  login,
  recordedBytes,
  recordFor,
  sha256,
  startSessionAndRecord,
  stopAndWaitUploaded,
  waitForOneReady,
} from './recording-flows.js';
import { expectNoA11yViolations } from './a11y.js';

/**
 * Recording as a presenter does it, in Chromium with the fake screen and microphone: record,
 * stop, find it in the archive, replay it with the graph as the scrubber. Then the faults:
 * the connection drops mid-recording, and the tab is reloaded mid-recording — the server
 * must end up with exactly the bytes that were recorded, in one recording.
 */
describe('recording in Chromium', () => {
  let t: TestApp;
  let raw: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    // ffmpeg (when installed) remuxes the first server's files; the second keeps the uploaded bytes.
    t = await startTestApp('postgres', { TICK_MS: '100' });
    raw = await startTestApp('pglite', { TICK_MS: '100', RECORDING_FFMPEG: 'off' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await raw?.close();
  });

  async function speakerOnLiveRecording(base: string, locale: 'en-US' | 'ja-JP', title: string) {
    const ctx = await newContext(browser, { locale });
    await ctx.addInitScript(CAPTURE_CHUNKS_SCRIPT);
    const page = await ctx.newPage();
    const errors = trackErrors(page);
    // A page with unsaved recording asks before unloading; the person says "leave".
    page.on('dialog', (d) => void d.accept());
    const email = await registerSpeaker(page, base);
    await createPresentation(page, base, title);
    const { id, code } = await hostScreen(page);
    return { ctx, page, errors, email, id, code };
  }

  it('records ~5 s of screen and microphone; the file is ready, listed in the archive and plays with the graph as scrubber', async () => {
    const { page, errors, email, id, code } = await speakerOnLiveRecording(t.url, 'en-US', 'Recorded talk');
    await startSessionAndRecord(page);
    const listener = await joinAs(browser, t.url, 'Alice', code);
    await listener.click('[data-testid="level-button-4"]');
    await recordFor(page, 2);
    await listener.click('[data-testid="level-button-2"]');
    await recordFor(page, 5);
    await expect.poll(() => controlNumber(page, 'data-acked-bytes')).toBeGreaterThan(0);
    await expect(page.locator('[data-testid="record-saved"]').innerText()).resolves.toMatch(
      /Saved up to \d+:\d\d/,
    );
    await expectNoA11yViolations(page, 'recording-control-en');
    await screenshot(page, 'recording-control-en');

    await stopAndWaitUploaded(page);
    const token = await login(t.url, email);
    const rec = await waitForOneReady(t.url, token, id);
    expect(rec.interrupted).toBe(false);
    expect(rec.durationMs ?? 0).toBeGreaterThan(3000);
    await page.locator('[data-testid="record-server-status"][data-status="ready"]').waitFor();

    await endSession(page);
    await listener.context().close();
    await page.keyboard.press('a');
    await page.waitForURL(/\/archive$/);
    const row = page.locator(`[data-testid="archive-row"][data-session-id="${id}"]`);
    await row.waitFor();
    await expect(row.locator('[data-testid="archive-recording"]').getAttribute('data-status')).resolves.toBe(
      'ready',
    );
    await expectNoA11yViolations(page, 'archive-en');
    await screenshot(page, 'archive-en');

    await row.locator('[data-testid="archive-play"]').click();
    await page.waitForURL(new RegExp(`/archive/${id}$`));
    const video = page.locator('[data-testid="playback-video"]');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
    const mediaDuration = await video.evaluate((v: HTMLVideoElement) => v.duration);
    expect(mediaDuration).toBeGreaterThan(3);
    const endT = Number(await page.locator('[data-testid="playback-graph"]').getAttribute('data-end-t'));

    // Clicking the graph at media 2.5 s seeks the video there.
    await clickGraphAt(page, rec.offsetMs + 2500, endT);
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => Math.abs(v.currentTime * 1000 - 2500)))
      .toBeLessThan(400);
    // Space plays: the time moves on from there, the cursor with it.
    await page.locator('body').press(' ');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(3);
    await page.locator('body').press(' ');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
    await expectNoA11yViolations(page, 'playback-en');
    await screenshot(page, 'playback-en');
    expect(errors).toEqual([]);
  });

  async function waitAllAcked(page: Page) {
    await expect
      .poll(
        async () =>
          (await controlNumber(page, 'data-acked-bytes')) ===
          (await controlNumber(page, 'data-recorded-bytes')),
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
  }

  it('the connection drops mid-recording and comes back: the server has exactly the recorded bytes, in one recording', async () => {
    const { ctx, page, email, id } = await speakerOnLiveRecording(raw.url, 'ja-JP', 'オフライン録画');
    await startSessionAndRecord(page);
    await recordFor(page, 2);
    await expect.poll(() => controlNumber(page, 'data-acked-bytes')).toBeGreaterThan(0);

    await ctx.setOffline(true);
    // The next PATCH (one per second) fails: from then on nothing reaches the server.
    await page
      .locator('[data-testid="recording-control"][data-upload-phase="retrying"]')
      .waitFor({ timeout: 10_000 });
    const ackedWhenOffline = await controlNumber(page, 'data-acked-bytes');
    const recordedWhenOffline = await controlNumber(page, 'data-recorded-bytes');
    // The recording goes on into the spool while nothing reaches the server.
    await expect
      .poll(() => controlNumber(page, 'data-recorded-bytes'), { timeout: 15_000 })
      .toBeGreaterThan(recordedWhenOffline + 20_000);
    await expect(page.locator('[data-testid="record-saved"]').innerText()).resolves.toContain('オフライン');
    await expectNoA11yViolations(page, 'recording-control-ja');
    await screenshot(page, 'recording-control-ja');
    expect(await controlNumber(page, 'data-acked-bytes')).toBe(ackedWhenOffline);

    await ctx.setOffline(false);
    await waitAllAcked(page);
    await recordFor(page, 8);
    await stopAndWaitUploaded(page);

    const recorded = await recordedBytes(page);
    expect(await controlNumber(page, 'data-final-bytes')).toBe(recorded.length);
    const token = await login(raw.url, email);
    const rec = await waitForOneReady(raw.url, token, id);
    expect(rec.sizeBytes).toBe(recorded.length);
    const stored = await download(raw.url, rec.mediaUrl ?? '');
    expect(stored.length).toBe(recorded.length);
    expect(sha256(stored)).toBe(sha256(recorded));

    await endSession(page);
    await page.goto(`${raw.url}/archive`);
    await page.locator(`[data-testid="archive-row"][data-session-id="${id}"]`).waitFor();
    await expectNoA11yViolations(page, 'archive-ja');
    await screenshot(page, 'archive-ja');
    await page.goto(`${raw.url}/archive/${id}?t=00:03`);
    const video = page.locator('[data-testid="playback-video"]');
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime * 1000 + 0), { timeout: 15_000 })
      .toBeGreaterThan(3000 - rec.offsetMs - 500);
    await expectNoA11yViolations(page, 'playback-ja');
    await screenshot(page, 'playback-ja');
    await ctx.close();
  });

  it('the tab is reloaded mid-recording: the reloaded page resumes the upload with HEAD into the same recording', async () => {
    const { ctx, page, email, id } = await speakerOnLiveRecording(raw.url, 'en-US', 'Reloaded talk');
    await startSessionAndRecord(page);
    await recordFor(page, 2);
    await expect.poll(() => controlNumber(page, 'data-acked-bytes')).toBeGreaterThan(0);
    const recordingId = await control(page).getAttribute('data-recording-id');

    // The upload endpoint drops every request: bytes pile up in the spool only.
    await page.route('**/api/uploads/**', (route) => void route.abort('connectionreset'));
    const spooledBefore = await controlNumber(page, 'data-recorded-bytes');
    await expect
      .poll(() => controlNumber(page, 'data-recorded-bytes'), { timeout: 15_000 })
      .toBeGreaterThan(spooledBefore + 20_000);
    const beforeReload = await recordedBytes(page);
    const ackedBeforeReload = await controlNumber(page, 'data-acked-bytes');
    expect(ackedBeforeReload).toBeLessThan(beforeReload.length);
    const spooledAtReload = await controlNumber(page, 'data-recorded-bytes');

    await page.reload();
    // After the reload the spool knows the recording; its bytes wait until the endpoint answers.
    await page.locator(`[data-testid="recording-control"][data-recording-id="${recordingId}"]`).waitFor();
    await page.unroute('**/api/uploads/**');
    await page
      .locator('[data-testid="recording-control"][data-upload-phase="complete"]')
      .waitFor({ timeout: 30_000 });
    const finalBytes = await controlNumber(page, 'data-final-bytes');
    // The file is what the spool held when the tab went away: nothing it had stored is lost.
    expect(finalBytes).toBeGreaterThanOrEqual(spooledAtReload);

    const token = await login(raw.url, email);
    const rec = await waitForOneReady(raw.url, token, id);
    expect(rec.id).toBe(recordingId);
    const stored = await download(raw.url, rec.mediaUrl ?? '');
    expect(stored.length).toBe(finalBytes);
    expect(rec.sizeBytes).toBe(finalBytes);
    const common = Math.min(beforeReload.length, stored.length);
    expect(sha256(stored.subarray(0, common))).toBe(sha256(beforeReload.subarray(0, common)));
    await ctx.close();
  });

  it('a session without a recording replays its graph and questions on the same page', async () => {
    const ctx = await newContext(browser, { locale: 'en-US' });
    const page = await ctx.newPage();
    const errors = trackErrors(page);
    await registerSpeaker(page, t.url);
    await createPresentation(page, t.url, 'Not recorded');
    const { id, code } = await hostScreen(page);
    await page.click('[data-testid="start-session"]');
    await page.locator('[data-testid="session-status"][data-status="live"]').waitFor();
    const listener = await joinAs(browser, t.url, 'Bob', code);
    await listener.click('[data-testid="level-button-2"]');
    await listener.keyboard.press('q');
    await listener.locator('[data-testid="question-input"]').fill('Could you repeat the last slide?');
    await listener.keyboard.press('Enter');
    await page.locator('[data-testid="question-item"]', { hasText: 'last slide' }).waitFor();
    // Some time passes after the question, so that it lies inside the session, not at its end.
    const seconds = async () => {
      const [m, sec] = (await page.locator('[data-testid="elapsed"]').innerText()).split(':').map(Number);
      return (m ?? 0) * 60 + (sec ?? 0);
    };
    const askedAt = await seconds();
    await expect.poll(seconds, { timeout: 15_000 }).toBeGreaterThanOrEqual(askedAt + 4);
    await endSession(page);
    await listener.context().close();

    await page.goto(`${t.url}/archive/${id}?t=00:02`);
    await page.locator('[data-testid="playback-no-recording"]').waitFor();
    const time = page.locator('[data-testid="playback-time"]');
    await expect.poll(async () => Number(await time.getAttribute('data-t'))).toBe(2000);
    const question = page.locator('[data-testid="playback-question"]', { hasText: 'last slide' });
    await question.waitFor();
    const endT = Number(await page.locator('[data-testid="playback-graph"]').getAttribute('data-end-t'));
    // A click near the end of the graph moves the clock there…
    await clickGraphAt(page, endT * 0.95, endT);
    await expect.poll(async () => Number(await time.getAttribute('data-t'))).toBeGreaterThan(endT * 0.9);
    // …one at the start puts the cursor before the question: it is not the current one.
    await clickGraphAt(page, 0, endT);
    await expect.poll(async () => Number(await time.getAttribute('data-t'))).toBeLessThan(endT * 0.05);
    expect(await question.getAttribute('aria-current')).toBeNull();
    // Clicking the question's time seeks there and makes it the current, highlighted one.
    await question.locator('button').click();
    await expect.poll(() => question.getAttribute('aria-current')).toBe('true');
    expect(await question.getAttribute('data-near')).toBe('true');
    const atQuestion = Number(await time.getAttribute('data-t'));
    expect(atQuestion).toBeGreaterThan(endT * 0.05);
    // Space on the page (not on the focused button, which Space would press again) plays.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press(' ');
    await expect
      .poll(async () => Number(await time.getAttribute('data-t')))
      .toBeGreaterThan(atQuestion + 300);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
