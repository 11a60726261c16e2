import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  goLive,
  join,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
} from '../../packages/server/test/helpers.js';
import { launchBrowser, newContext, SHOT_DIR, trackErrors } from './harness.js';
import { expectNoA11yViolations } from './a11y.js';

type Turn = { id: string; speaker: string; startT: number; endT: number | null; avg: number | null };
type Total = { speaker: string; speakingMs: number; avg: number | null; best: { turnId: string } | null };

const until = async (cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

async function setLang(page: Page, lang: 'en' | 'ja'): Promise<void> {
  await page.locator(`button[lang="${lang}"]`).first().click();
  await page.locator(`html[lang="${lang}"]`).waitFor();
}

/**
 * After a discussion: the report page's Speakers section (totals as `GET …/turns` gives them,
 * best/worst turn links, the lag sentence) and the playback page's turn bands and turn list.
 */
describe('a discussion’s report and playback in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    t = await startTestApp('postgres', {
      TICK_MS: '100',
      REPORT_DELAY_MS: '200',
      REPORT_MIN_SEGMENT_SEC: '3',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await browser?.close();
    await t?.close();
  });

  it('the report shows the speakers section; the playback graph draws the labelled turns', async () => {
    // A facilitated discussion, driven over the API: Aiko speaks, then Ben, who loses the room.
    const host = await speaker(t.url, 'Dr. Host');
    const created = await api<{ id: string; code: string }>(t.url, 'POST', '/api/sessions', {
      body: {
        title: 'Budget round table',
        mode: 'discussion',
        settings: { discussion: { facilitator: 'me' } },
      },
      token: host.token,
    });
    const id = created.body.id;
    expect((await goLive(t.url, host.token, id)).status).toBe(200);
    const names = ['Aiko', 'Ben', 'Chloe', 'Daichi', 'Emma'];
    const h = new WsClient(t.url, id, host.token);
    sockets.push(h);
    await h.next((m) => m.type === 'welcome');
    const people: { participantId: string; ws: WsClient }[] = [];
    for (const name of names) {
      const p = await join(t.url, created.body.code, name);
      const ws = new WsClient(t.url, id, p.participantToken);
      sockets.push(ws);
      await ws.next((m) => m.type === 'welcome');
      people.push({ participantId: p.participantId, ws });
    }
    const setAll = (level: number, except = -1) =>
      people.forEach((p, i) => i !== except && p.ws.send({ type: 'understanding:set', level }));
    setAll(4);
    await h.next((m) => m.type === 'understanding:update' && m.n === names.length);
    const startedAt = Date.now();
    const wait = (ms: number) => until(() => Date.now() - startedAt >= ms, `${ms} ms`);
    h.send({ type: 'turn:start', speaker: people[0]!.participantId });
    await h.next((m) => m.type === 'turn:update' && (m.turn as Turn | null)?.speaker === 'Aiko');
    await wait(8000);
    h.send({ type: 'turn:start', speaker: people[1]!.participantId });
    await h.next((m) => m.type === 'turn:update' && (m.turn as Turn | null)?.speaker === 'Ben');
    await wait(13_000);
    setAll(2, 1);
    await wait(20_000);
    // Aiko answers: the room comes back
    h.send({ type: 'turn:start', speaker: people[0]!.participantId });
    await h.next((m) => m.type === 'turn:update' && (m.turn as Turn | null)?.speaker === 'Aiko');
    setAll(5, 0);
    await wait(27_000);
    h.send({ type: 'turn:end' });
    await h.next((m) => m.type === 'turn:update' && m.turn === null);
    await wait(31_000);
    expect(
      (await api(t.url, 'PUT', `/api/sessions/${id}`, { body: { status: 'ended' }, token: host.token }))
        .status,
    ).toBe(200);
    await until(async () => {
      const r = await api<{ status: string }>(t.url, 'GET', `/api/sessions/${id}/report`, {
        token: host.token,
      });
      return r.body.status === 'ready';
    }, 'the report');
    const listed = (
      await api<{ turns: Turn[]; speakers: Total[] }>(t.url, 'GET', `/api/sessions/${id}/turns`, {
        token: host.token,
      })
    ).body;
    expect(listed.turns.map((x) => x.speaker)).toEqual(['Aiko', 'Ben', 'Aiko']);

    const ctx = await newContext(browser, { device: 'laptop' });
    const page = await ctx.newPage();
    const errors = trackErrors(page);
    await page.goto(`${t.url}/login`);
    await page.fill('input[name="email"]', host.email);
    await page.fill('input[name="password"]', 'correct-horse-1');
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    // the report page: one card per speaker with the turns list's figures, then the turns
    await page.goto(`${t.url}/archive/${id}/report`);
    const section = page.locator('[data-testid="report-speakers"]');
    await section.waitFor({ timeout: 20_000 });
    await expect.poll(() => section.locator('h2').innerText()).toBe('Speakers');
    expect(await section.locator('[data-testid="report-speakers-lag"]').innerText()).toContain(
      'Figures are read 3 s after the words',
    );
    for (const s of listed.speakers) {
      const card = section.locator(`[data-testid="speaker-total"][data-speaker="${s.speaker}"]`);
      expect(await card.locator('[data-testid="speaker-avg"]').innerText()).toBe(s.avg!.toFixed(2));
      const best = listed.turns.find((x) => x.id === s.best!.turnId)!;
      const href = await card.locator('[data-testid="speaker-best"]').getAttribute('href');
      const sec = Math.round(best.startT / 1000);
      expect(href).toBe(`/archive/${id}?t=${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, '0')}`);
    }
    const rows = section.locator('[data-testid="report-turn"]');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).locator('[data-testid="report-turn-avg"]').innerText()).toBe(
      listed.turns[1]!.avg!.toFixed(2),
    );
    // Ben's turn is the worse one: the listeners fell to 2 while he spoke; Aiko's second her best
    expect(listed.turns[1]!.avg!).toBeLessThan(listed.turns[0]!.avg!);
    const aiko = listed.speakers.find((s) => s.speaker === 'Aiko')!;
    expect(aiko.best!.turnId).toBe(listed.turns[2]!.id);
    mkdirSync(SHOT_DIR, { recursive: true });
    await section.scrollIntoViewIfNeeded();
    const shot = async (lang: string) => {
      await expectNoA11yViolations(page, `discussion report (${lang})`);
      await section.scrollIntoViewIfNeeded();
      const box = (await section.boundingBox())!;
      await page.screenshot({
        path: path.join(SHOT_DIR, `discussion-report-${lang}.png`),
        clip: { x: box.x - 16, y: box.y - 16, width: box.width + 32, height: box.height + 32 },
        style: 'footer { visibility: hidden !important; }',
      });
    };
    await shot('en');
    await setLang(page, 'ja');
    await section.locator('h2', { hasText: '発言者' }).waitFor();
    expect(await section.locator('[data-testid="report-speakers-lag"]').innerText()).toContain('3 秒後');
    await shot('ja');
    await setLang(page, 'en');

    // the playback page: the turn bands on the graph, labelled with the speakers, and the list
    await page.goto(`${t.url}/archive/${id}`);
    await page
      .locator('[data-testid="playback-graph"] .uplot[data-turn-bands="Aiko|Ben|Aiko"]')
      .waitFor({ timeout: 20_000 });
    const buttons = page.locator('[data-testid="playback-turn"]');
    expect(await buttons.count()).toBe(3);
    expect(await buttons.nth(1).getAttribute('data-speaker')).toBe('Ben');
    expect(await buttons.nth(1).getAttribute('aria-label')).toMatch(/^Play Ben’s turn from /);
    await buttons.nth(1).click();
    await expect
      .poll(async () => Number(await page.locator('[data-testid="playback-time"]').getAttribute('data-t')))
      .toBe(listed.turns[1]!.startT);
    // [ goes back to Aiko's turn
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('[');
    await expect
      .poll(async () => Number(await page.locator('[data-testid="playback-time"]').getAttribute('data-t')))
      .toBe(listed.turns[0]!.startT);
    expect(errors).toEqual([]);
  }, 120_000);
});
