import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { launchBrowser, newContext, screenshot, trackErrors } from './harness.js';

/**
 * The whole loop as people use it: a speaker registers and creates a session in the browser,
 * two listeners join by code on phones and press keys, the speaker sees the average and names.
 */
describe('the live understanding loop in Chromium', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp('postgres', { TICK_MS: '100' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function registerAndCreate(page: Page, title: string): Promise<{ id: string; code: string }> {
    await page.goto(`${t.url}/register`);
    await page.fill('input[name="email"]', `host-${Date.now()}@example.test`);
    await page.fill('input[name="username"]', 'Dr. Host');
    await page.fill('input[name="password"]', 'correct-horse-1');
    await page.click('[data-testid="register-form"] button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/register'));
    await page.goto(`${t.url}/new`);
    await page.click('[data-testid="mode-presentation"]');
    await page.click('[data-testid="create-next"]');
    await page.click('[data-testid="presenter-me"]');
    await page.click('[data-testid="create-next"]');
    await page.fill('[data-testid="create-title"]', title);
    await page.click('[data-testid="create-submit"]');
    await page.waitForURL(/\/host\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const code = (await page.locator('[data-testid="join-code"]').first().innerText()).replace(/\s/g, '');
    return { id, code };
  }

  async function joinAs(name: string, code: string, locale: 'en-US' | 'ja-JP' = 'en-US'): Promise<Page> {
    const ctx = await newContext(browser, { device: 'phone', locale });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/j/${code}`);
    await page.fill('[data-testid="join-name"]', name);
    await page.click('[data-testid="join-submit"]');
    await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    return page;
  }

  it('shows the right average and both names on the speaker’s screen', async () => {
    const ctx = await newContext(browser, { device: 'laptop' });
    const host = await ctx.newPage();
    const hostErrors = trackErrors(host);
    const { code } = await registerAndCreate(host, 'Browser loop');
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

    await expect.poll(() => host.locator('[data-testid="current-average"]').innerText(), { timeout: 10_000 }).toContain('3.50');
    await expect.poll(() => host.locator('[data-testid="participant-count"]').innerText(), { timeout: 10_000 }).toContain('2');
    const rows = host.locator('[data-testid="participant-row"]');
    await expect.poll(async () => (await rows.allInnerTexts()).join(' '), { timeout: 10_000 }).toMatch(/Alice[\s\S]*Bob|Bob[\s\S]*Alice/);
    await expect.poll(() => host.locator('[data-testid="participant-row"][data-level="5"]').count()).toBe(1);

    // Alice changes her mind: the speaker follows.
    await alice.keyboard.press('4');
    await expect.poll(() => host.locator('[data-testid="current-average"]').innerText(), { timeout: 10_000 }).toContain('4.50');

    await screenshot(host, 'speaker-en');
    await screenshot(alice, 'listener-en');
    await screenshot(bob, 'listener-ja');
    expect(hostErrors).toEqual([]);
  });
});
