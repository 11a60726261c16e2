import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { joinAs as joinWith, registerAndCreate } from './flows.js';
import { launchBrowser, newContext, screenshot, trackErrors } from './harness.js';

/**
 * The whole loop as people use it: a speaker registers and creates a session in the browser,
 * two listeners join by code on phones and press keys, the speaker sees the average and names.
 */
describe('the live understanding loop in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  const joinAs = (name: string, code: string, locale?: 'en-US' | 'ja-JP') =>
    joinWith(browser, t.url, name, code, locale);

  beforeAll(async () => {
    t = await startTestApp('postgres', { TICK_MS: '100' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the right average and both names on the speaker’s screen', async () => {
    const ctx = await newContext(browser, { device: 'laptop' });
    const host = await ctx.newPage();
    const hostErrors = trackErrors(host);
    const { code } = await registerAndCreate(host, t.url, 'Browser loop');
    expect(code).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
    await host.click('[data-testid="start-session"]');
    await host.locator('[data-testid="session-status"][data-status="live"]').waitFor();

    const alice = await joinAs('Alice', code);
    const bob = await joinAs('Bob', code, 'ja-JP');
    await alice.keyboard.press('2');
    // Bob: 1 → 5 by keys (set 1, then → four times).
    await bob.keyboard.press('1');
    for (let i = 0; i < 4; i++) await bob.keyboard.press('ArrowRight');
    await alice.locator('[data-testid="my-level"][data-level="2"]').waitFor();
    await bob.locator('[data-testid="my-level"][data-level="5"]').waitFor();

    await expect
      .poll(() => host.locator('[data-testid="current-average"]').innerText(), { timeout: 10_000 })
      .toContain('3.50');
    await expect
      .poll(() => host.locator('[data-testid="participant-count"]').innerText(), { timeout: 10_000 })
      .toContain('2');
    const rows = host.locator('[data-testid="participant-row"]');
    await expect
      .poll(async () => (await rows.allInnerTexts()).join(' '), { timeout: 10_000 })
      .toMatch(/Alice[\s\S]*Bob|Bob[\s\S]*Alice/);
    await expect.poll(() => host.locator('[data-testid="participant-row"][data-level="5"]').count()).toBe(1);

    // Alice changes her mind: the speaker follows.
    await alice.keyboard.press('4');
    await expect
      .poll(() => host.locator('[data-testid="current-average"]').innerText(), { timeout: 10_000 })
      .toContain('4.50');

    await screenshot(host, 'speaker-en');
    await screenshot(alice, 'listener-en');
    await screenshot(bob, 'listener-ja');
    expect(hostErrors).toEqual([]);
  });
});
