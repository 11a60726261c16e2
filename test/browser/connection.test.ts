import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { startFrozenProxy, type FrozenProxy } from './frozen-proxy.js';
import { launchBrowser, newContext, trackErrors } from './harness.js';

async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** A speaker (by API) with a live session of the given signal style. */
async function liveSession(base: string, signalStyle: 'sticky' | 'momentary') {
  const email = `conn-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;
  const password = 'correct-horse-1';
  await api(base, 'POST', '/api/auth/register', { email, password, username: 'Conn host' });
  const { accessToken } = await api<{ accessToken: string }>(base, 'POST', '/api/auth/login', {
    email,
    password,
  });
  const s = await api<{ id: string; code: string }>(
    base,
    'POST',
    '/api/sessions',
    { title: `Frozen Wi-Fi (${signalStyle})`, mode: 'presentation', settings: { signalStyle } },
    accessToken,
  );
  await api(base, 'PUT', `/api/sessions/${s.id}`, { status: 'live' }, accessToken);
  const serverLevel = async (name: string) => {
    const { participants } = await api<{
      participants: { displayName: string | null; level: number | null }[];
    }>(base, 'GET', `/api/sessions/${s.id}/participants`, undefined, accessToken);
    return participants.find((p) => p.displayName === name)?.level ?? null;
  };
  return { ...s, serverLevel };
}

async function joinThrough(browser: Browser, base: string, code: string, name: string): Promise<Page> {
  const ctx = await newContext(browser, { device: 'phone' });
  const page = await ctx.newPage();
  await page.goto(`${base}/j/${code}`);
  await page.fill('[data-testid="join-name"]', name);
  await page.click('[data-testid="join-submit"]');
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  await page.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
  return page;
}

/**
 * The phone's connection truth, with a TCP proxy between Chromium and the server that freezes
 * (traffic stops both ways, nothing closes) — the silent drop of a lecture hall's Wi-Fi.
 */
describe('a listener behind a Wi-Fi that goes silent', () => {
  let t: TestApp;
  let proxy: FrozenProxy;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp('postgres', { TICK_MS: '100' });
    const u = new URL(t.url);
    proxy = await startFrozenProxy({ host: u.hostname, port: Number(u.port) });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await t?.close();
  });

  it('notices the silent drop within ~10 s, keeps the press made during it, and it wins after reconnecting', async () => {
    const s = await liveSession(t.url, 'sticky');
    const page = await joinThrough(browser, proxy.url, s.code, 'Frozen Fumi');
    const errors = trackErrors(page);
    await page.keyboard.press('4');
    await expect.poll(() => s.serverLevel('Frozen Fumi'), { timeout: 10_000 }).toBe(4);

    proxy.freeze();
    const frozenAt = Date.now();
    // A press while the socket still looks open: it goes into the void.
    await page.keyboard.press('2');
    await page.locator('[data-testid="my-level"][data-level="2"]').waitFor();
    await page
      .locator('[data-testid="connection-status"]:not([data-state="open"])')
      .waitFor({ timeout: 15_000 });
    const noticedAfterMs = Date.now() - frozenAt;
    expect(noticedAfterMs).toBeLessThan(12_000);
    expect(await s.serverLevel('Frozen Fumi')).toBe(4); // the server never got the 2

    proxy.thaw();
    await page.locator('[data-testid="connection-status"][data-state="open"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => s.serverLevel('Frozen Fumi'), { timeout: 10_000 }).toBe(2);
    // The screen did not jump back to the server's older level.
    expect(await page.locator('[data-testid="my-level"]').getAttribute('data-level')).toBe('2');
    expect(errors.filter((e) => !/protocol mismatch/.test(e))).toEqual([]);
    console.log(`silent drop noticed after ${noticedAfterMs} ms`);
    await page.context().close();
  });

  it('a momentary press returns to neutral when the page is hidden with the key still held', async () => {
    const s = await liveSession(t.url, 'momentary');
    const page = await joinThrough(browser, t.url, s.code, 'Momentary Mio');
    await page.keyboard.down('5');
    await page.locator('[data-testid="my-level"][data-level="5"]').waitFor();
    await expect.poll(() => s.serverLevel('Momentary Mio'), { timeout: 10_000 }).toBe(5);
    // The phone locks / the tab is switched: the keyup goes elsewhere.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.locator('[data-testid="my-level"][data-level="3"]').waitFor({ timeout: 5_000 });
    await expect.poll(() => s.serverLevel('Momentary Mio'), { timeout: 10_000 }).toBe(3);
    await page.keyboard.up('5');
    await page.context().close();
  });
});
