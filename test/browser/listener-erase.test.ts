import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createSession,
  goLive,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
} from '../../packages/server/test/helpers.js';
import { launchBrowser, newContext, screenshot, trackErrors } from './harness.js';

/**
 * The listener screen's "Remove me from this session" (issue 17): confirm dialog, erasure, the
 * erased state; and the WebSocket token travels in Sec-WebSocket-Protocol, not in the URL.
 */
describe('a listener erases themselves in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp('pglite');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function listenerJoins(code: string, name: string, locale: 'en-US' | 'ja-JP') {
    const ctx = await newContext(browser, { device: 'phone', locale });
    const page = await ctx.newPage();
    const wsUrls: string[] = [];
    page.on('websocket', (ws) => wsUrls.push(ws.url()));
    await page.goto(`${t.url}/j/${code}`);
    await page.fill('[data-testid="join-name"]', name);
    await page.click('[data-testid="join-submit"]');
    await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    return { page, wsUrls };
  }

  const participantNamed = async (sessionId: string, name: string) =>
    t.app.db.kysely
      .selectFrom('participants')
      .select('id')
      .where('session_id', '=', sessionId)
      .where('display_name', '=', name)
      .executeTakeFirst();

  async function eraseThroughDialog(page: Page, shot: string) {
    await page.locator('[data-testid="erase-me"]').click();
    const dialog = page.locator('[data-testid="erase-me-dialog"]');
    await dialog.waitFor();
    await screenshot(page, shot);
    await page.locator('[data-testid="erase-me-confirm"]').click();
    await page.locator('[data-testid="erased-state"]').waitFor();
  }

  it('sends the token in the protocol header, then erases the listener after the confirm dialog', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await goLive(t.url, host.token, s.id);
    const hostWs = new WsClient(t.url, s.id, host.token);
    await hostWs.next((m) => m.type === 'welcome');
    const { page, wsUrls } = await listenerJoins(s.code, 'Aiko', 'en-US');
    const errors = trackErrors(page);
    expect(wsUrls.length).toBeGreaterThan(0);
    for (const u of wsUrls) expect(u).not.toMatch(/token=/);

    const me = await participantNamed(s.id, 'Aiko');
    expect(me).toBeDefined();
    // cancelling keeps everything
    await page.locator('[data-testid="erase-me"]').click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await participantNamed(s.id, 'Aiko')).toBeDefined();

    await eraseThroughDialog(page, 'listener-erase-dialog-en');
    expect(await page.locator('[data-testid="erased-state"]').innerText()).toContain(
      'You have been removed from this session',
    );
    expect(await participantNamed(s.id, 'Aiko')).toBeUndefined();
    const roster = await api<{ participants: unknown[] }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/participants`,
      { token: host.token },
    );
    expect(roster.body.participants).toEqual([]);
    // the phone forgot the token: a reload does not rejoin as Aiko
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(me!.id);
    expect(errors).toEqual([]);
    hostWs.close();
  });

  it('is in Japanese for a Japanese phone', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await goLive(t.url, host.token, s.id);
    const { page } = await listenerJoins(s.code, 'Ken', 'ja-JP');
    expect(await page.locator('[data-testid="erase-me"]').innerText()).toBe('自分の情報を削除');
    await eraseThroughDialog(page, 'listener-erase-dialog-ja');
    expect(await page.locator('[data-testid="erased-state"]').innerText()).toContain(
      'このセッションからあなたの情報を削除しました',
    );
    expect(await participantNamed(s.id, 'Ken')).toBeUndefined();
  });
});
