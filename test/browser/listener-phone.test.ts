import net from 'node:net';
import { devices, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, speaker, startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { docsScreenshot, launchBrowser, newContext, trackErrors } from './harness.js';

/**
 * A TCP proxy that lets HTTP through but holds WebSocket handshakes while its gate is shut:
 * the page loads and the API answers, the socket stays "connecting" — a phone whose socket is
 * slow to open on a crowded access point.
 */
async function startGatedProxy(target: { host: string; port: number }) {
  let shut = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.once('data', (first) => {
      client.pause();
      const pipe = () => {
        const upstream = net.connect(target.port, target.host, () => {
          upstream.write(first);
          client.pipe(upstream);
          upstream.pipe(client);
          client.resume();
        });
        sockets.add(upstream);
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      };
      if (shut && /^upgrade:\s*websocket/im.test(first.toString('latin1'))) held.push(pipe);
      else pipe();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    shut() {
      shut = true;
    },
    open() {
      shut = false;
      for (const go of held.splice(0)) go();
    },
    get heldCount() {
      return held.length;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The listener's phone, by touch: taps on the level buttons and the slider reach the speaker. */
describe('a listener on a phone (touch)', () => {
  let t: TestApp;
  let browser: Browser;
  let proxy: Awaited<ReturnType<typeof startGatedProxy>>;
  let hostToken: string;
  let hostEmail: string;

  beforeAll(async () => {
    t = await startTestApp('postgres', { TICK_MS: '100' });
    const u = new URL(t.url);
    proxy = await startGatedProxy({ host: u.hostname, port: Number(u.port) });
    browser = await launchBrowser();
    const host = await speaker(t.url, 'Dr. Phone');
    hostToken = host.token;
    hostEmail = host.email;
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await t?.close();
  });

  async function liveSession(title: string) {
    const s = await api<{ id: string; code: string }>(t.url, 'POST', '/api/sessions', {
      body: { title, mode: 'presentation', settings: { signalStyle: 'sticky' } },
      token: hostToken,
    });
    await api(t.url, 'PUT', `/api/sessions/${s.body.id}`, { body: { status: 'live' }, token: hostToken });
    const serverLevel = async (name: string) => {
      const r = await api<{ participants: { displayName: string | null; level: number | null }[] }>(
        t.url,
        'GET',
        `/api/sessions/${s.body.id}/participants`,
        { token: hostToken },
      );
      return r.body.participants.find((p) => p.displayName === name)?.level ?? null;
    };
    return { ...s.body, serverLevel };
  }

  async function phoneJoins(base: string, code: string, name: string): Promise<Page> {
    const ctx = await browser.newContext({ ...devices['Pixel 5'], locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(`${base}/j/${code}`);
    await page.locator('[data-testid="join-name"]').tap();
    await page.fill('[data-testid="join-name"]', name);
    await page.locator('[data-testid="join-submit"]').tap();
    await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
    return page;
  }

  it('taps on the level buttons and the slider reach the speaker’s screen', async () => {
    const s = await liveSession('Touch screens');
    // The speaker watches the participant list on a laptop.
    const hostCtx = await newContext(browser);
    const host = await hostCtx.newPage();
    await host.goto(`${t.url}/login`);
    await host.fill('input[name="email"]', hostEmail);
    await host.fill('input[name="password"]', 'correct-horse-1');
    await host.click('[data-testid="login-form"] button[type="submit"]');
    await host.waitForURL((u) => !u.pathname.startsWith('/login'));
    await host.goto(`${t.url}/host/${s.id}`);
    await host.locator('[data-testid="connection-status"][data-state="open"]').waitFor();

    const phone = await phoneJoins(t.url, s.code, 'Tapping Taro');
    const errors = trackErrors(phone);
    expect(await phone.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    await phone.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    const row = host.locator('[data-testid="participant-row"]', { hasText: 'Tapping Taro' });

    await phone.locator('[data-testid="level-button-2"]').tap();
    await phone.locator('[data-testid="my-level"][data-level="2"]').waitFor();
    await expect.poll(() => row.getAttribute('data-level'), { timeout: 10_000 }).toBe('2');
    expect(await s.serverLevel('Tapping Taro')).toBe(2);

    await phone.locator('[data-testid="level-button-5"]').tap();
    await expect.poll(() => row.getAttribute('data-level'), { timeout: 10_000 }).toBe('5');

    // The slider: a tap near its left end moves the thumb there (level 1).
    const slider = phone.locator('[data-testid="level-slider"]');
    const box = (await slider.boundingBox())!;
    await phone.touchscreen.tap(box.x + 6, box.y + box.height / 2);
    await phone.locator('[data-testid="my-level"][data-level="1"]').waitFor();
    await expect.poll(() => row.getAttribute('data-level'), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => s.serverLevel('Tapping Taro'), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
    await phone.context().close();
    await hostCtx.close();
  });

  it('a tap made before the socket is open is kept and sent once it opens', async () => {
    const s = await liveSession('Slow socket');
    const phone = await phoneJoins(proxy.url, s.code, 'Early Emi');
    await phone.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    await phone.locator('[data-testid="level-button-3"]').tap();
    await expect.poll(() => s.serverLevel('Early Emi'), { timeout: 10_000 }).toBe(3);

    // The phone opens the page again while WebSocket handshakes hang.
    proxy.shut();
    await phone.reload();
    const button = phone.locator('[data-testid="level-button-4"]');
    await expect.poll(() => button.isEnabled(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => proxy.heldCount, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await phone.locator('[data-testid="connection-status"]').getAttribute('data-state')).not.toBe(
      'open',
    );
    await button.tap();
    await phone.locator('[data-testid="my-level"][data-level="4"]').waitFor();
    await phone.locator('[data-testid="level-pending"]').waitFor();
    expect(await s.serverLevel('Early Emi')).toBe(3); // nothing could be sent yet

    proxy.open();
    await phone.locator('[data-testid="connection-status"][data-state="open"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => s.serverLevel('Early Emi'), { timeout: 10_000 }).toBe(4);
    // the server's older 3 (in its welcome) did not take the screen back
    expect(await phone.locator('[data-testid="my-level"]').getAttribute('data-level')).toBe('4');
    await phone.context().close();
  });

  it('the settings dialog tells the phone its link, server and code, and switches the language', async () => {
    const s = await liveSession('Settings on a phone');
    const phone = await phoneJoins(t.url, s.code, 'Curious Kei');
    const errors = trackErrors(phone);
    await phone.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    await phone.locator('[data-testid="open-settings"]').tap();
    const dialog = phone.locator('[data-testid="listener-settings"]');
    await dialog.waitFor();
    await dialog.locator('[data-testid="settings-state"] [data-state="open"]').waitFor();
    expect(await dialog.locator('[data-testid="settings-server"]').textContent()).toBe(new URL(t.url).host);
    expect(await dialog.locator('[data-testid="settings-code"]').textContent()).toBe(s.code);
    expect(await dialog.locator('[data-testid="settings-privacy"]').textContent()).toContain('Curious Kei');
    // the round trip of a ping answered on this link
    await expect
      .poll(() => dialog.locator('[data-testid="settings-latency"]').textContent(), { timeout: 10_000 })
      .toMatch(/\d+\s*ms/);
    expect(await dialog.getByRole('heading', { name: 'Settings' }).count()).toBe(1);
    await docsScreenshot(phone, 'listener-settings-en');

    await dialog.locator('button[lang="ja"]').tap();
    await phone.locator('html[lang="ja"]').waitFor();
    await dialog.getByRole('heading', { name: '設定' }).waitFor();
    await dialog.getByRole('heading', { name: '接続' }).waitFor();
    expect(await dialog.locator('[data-testid="settings-code"]').textContent()).toBe(s.code);
    await docsScreenshot(phone, 'listener-settings-ja');
    expect(errors).toEqual([]);
    await phone.context().close();
  });
});
