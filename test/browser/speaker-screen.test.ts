import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createSession,
  speaker,
  startTestApp,
  type TestApp,
} from '../../packages/server/test/helpers.js';
import { startPrivateRedis, type PrivateRedis } from '../../packages/server/test/faults/private-services.js';
import { DEMO_EMAIL, runSeed } from '../../packages/server/src/ops/seed.js';
import { expectNoA11yViolations } from './a11y.js';
import { joinAs } from './flows.js';
import { docsScreenshot, launchBrowser, newContext, trackErrors } from './harness.js';

const LANGS = [
  ['en', 'en-US'],
  ['ja', 'ja-JP'],
] as const;

/**
 * The speaker's screen (issue 18): an ended session's final figures and read-only actions, the
 * per-listener lines named on hover, the F11 presentation view, the warning that leaves the
 * questions in view at 1280×800, the pinned question on the phone, the create form's refused
 * values, and the partial-graph notice when this instance loses Redis (a real outage: the
 * server's private Redis is killed, so its updates say `degraded`).
 */
describe('the speaker screen in Chromium', () => {
  let t: TestApp;
  let redis: PrivateRedis;
  let browser: Browser;
  let demoPassword = '';
  let demoId = '';

  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestApp('pglite', { TICK_MS: '100', REDIS_URL: redis.url });
    const out = await runSeed(t.app.db.kysely, { publicUrl: t.url });
    demoPassword = /password: (\S+)/.exec(out)![1]!;
    demoId = /\/host\/([0-9a-f-]{36})/.exec(out)![1]!;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await redis?.kill();
  });

  async function signIn(
    email: string,
    password: string,
    locale: 'en-US' | 'ja-JP' = 'en-US',
    viewport?: { width: number; height: number },
  ): Promise<Page> {
    const ctx = await newContext(browser, { locale });
    if (viewport) await ctx.pages()[0]?.setViewportSize(viewport);
    const page = await ctx.newPage();
    if (viewport) await page.setViewportSize(viewport);
    await page.goto(`${t.url}/login`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  /** A host (API), a live session with these settings, and the host's screen open in Chromium. */
  async function liveSession(
    settings: Record<string, unknown> = {},
    locale: 'en-US' | 'ja-JP' = 'en-US',
    viewport?: { width: number; height: number },
  ) {
    const host = await speaker(t.url, locale === 'ja-JP' ? '山田 先生' : 'Dr. Host');
    const s = await createSession(
      t.url,
      host.token,
      settings,
      locale === 'ja-JP' ? '分散システム入門' : 'Distributed systems',
    );
    await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { status: 'live' }, token: host.token });
    const page = await signIn(host.email, 'correct-horse-1', locale, viewport);
    await page.goto(`${t.url}/host/${s.id}`);
    await page.locator('[data-testid="session-status"][data-status="live"]').waitFor();
    await page.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    return { page, id: s.id, code: s.code, token: host.token };
  }

  /** Where a level (1..5) is drawn on the graph's plot area, at `fx` of its width. */
  async function pointAt(page: Page, level: number, fx = 0.97) {
    const box = (await page.locator('[data-testid="understanding-graph"] .u-over').boundingBox())!;
    // the y scale is fixed at [0.75, 5.25]
    return { x: box.x + box.width * fx, y: box.y + ((5.25 - level) / 4.5) * box.height };
  }

  for (const [lang, locale] of LANGS) {
    it(`an ended session shows its final figures, spans start → end, and offers nothing that no longer applies (${lang})`, async () => {
      const page = await signIn(DEMO_EMAIL, demoPassword, locale);
      const errors = trackErrors(page);
      await page.goto(`${t.url}/host/${demoId}`);
      await page.locator('[data-testid="session-status"][data-status="ended"]').waitFor();
      // The demo ran 20 minutes with 30 listeners.
      await expect.poll(() => page.locator('[data-testid="elapsed"]').innerText()).toBe('20:00');
      expect(await page.locator('[data-testid="participant-count"]').innerText()).toBe('30');
      const final = Number(await page.locator('[data-testid="current-average"]').innerText());
      const mean = Number(await page.locator('[data-testid="mean-average"]').innerText());
      expect(final).toBeGreaterThanOrEqual(1);
      expect(final).toBeLessThanOrEqual(5);
      // The mean is the report's (time-weighted over the seconds with anyone counted).
      const { body: report } = await api<{ summary: { avg: number } }>(
        t.url,
        'GET',
        `/api/sessions/${demoId}/report`,
        {
          token: (
            await api<{ accessToken: string }>(t.url, 'POST', '/api/auth/login', {
              body: {
                email: DEMO_EMAIL,
                password: demoPassword,
              },
            })
          ).body.accessToken,
        },
      );
      expect(Math.abs(mean - report.summary.avg)).toBeLessThan(0.03);
      // The graph's x axis runs from the start to the end (1200 s), not up to now (26 min after start).
      const graph = page.locator('[data-testid="understanding-graph"] .uplot');
      await expect.poll(() => graph.getAttribute('data-x-max')).toBe('1200');
      // Nothing to record, set, answer or pin any more; the footer says it has ended.
      expect(await page.locator('[data-testid="record-button"]').count()).toBe(0);
      expect(await page.locator('[data-testid="open-settings"]').isDisabled()).toBe(true);
      await page.keyboard.press('s');
      expect(await page.locator('[data-testid="settings-dialog"][open]').count()).toBe(0);
      const item = page.locator('[data-testid="questions-panel"] [data-testid="question-item"]').first();
      await item.waitFor();
      expect(await item.locator('[data-testid="question-pin"]').isVisible()).toBe(false);
      expect(await page.locator('[data-testid="question-mark-answered"]:visible').count()).toBe(0);
      const note = page.locator('[data-testid="session-ended-note"]');
      expect(await note.innerText()).toMatch(
        lang === 'en' ? /has ended at \d\d:\d\d/ : /\d\d:\d\dに終了しました/,
      );
      await expectNoA11yViolations(page, `speaker ended, demo (${lang})`);
      await docsScreenshot(page, `speaker-finished-demo-${lang}`);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('hovering a listener’s line names them; the legend explains the lines', async () => {
    const { page, code } = await liveSession({ warning: { enabled: false } });
    const sam = await joinAs(browser, t.url, 'Sam', code);
    const kai = await joinAs(browser, t.url, 'Kai', code);
    await sam.keyboard.press('5');
    await kai.keyboard.press('1');
    await expect
      .poll(() => page.locator('[data-testid="current-average"]').innerText(), { timeout: 10_000 })
      .toBe('3.00');
    await page.locator('[data-testid="legend-lines"]').waitFor();
    const focus = page.locator('[data-testid="graph-focus"]');
    let p = await pointAt(page, 5);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => focus.innerText()).toBe('Sam: level 5');
    p = await pointAt(page, 1);
    await page.mouse.move(p.x, p.y);
    await expect.poll(() => focus.innerText()).toBe('Kai: level 1');
    // Away from the lines nothing is named.
    await page.mouse.move(p.x, p.y - 300);
    await expect.poll(() => focus.innerText()).toBe('');
    await sam.context().close();
    await kai.context().close();
    await page.context().close();
  });

  for (const [lang, locale] of LANGS) {
    it(`F11 shows the presentation view (graph, code, QR only), Esc leaves it; A asks before leaving a live session (${lang})`, async () => {
      const { page, code } = await liveSession({}, locale);
      const errors = trackErrors(page);
      const listener = await joinAs(browser, t.url, lang === 'ja' ? '佐藤' : 'Sam', code, locale);
      await listener.keyboard.press('4');
      await expect
        .poll(() => page.locator('[data-testid="current-average"]').innerText(), { timeout: 10_000 })
        .toBe('4.00');
      await page.keyboard.press('F11');
      const view = page.locator('[data-testid="presentation-view"]');
      await view.waitFor();
      expect(await view.locator('[data-testid="presentation-code"]').innerText()).toBe(code);
      await view.locator('[data-testid="presentation-qr"]').waitFor();
      const graphBox = (await view.locator('[data-testid="understanding-graph"]').boundingBox())!;
      expect(graphBox.height).toBeGreaterThan(600); // 900 px high window: the graph takes most of it
      // Nothing else: the speaker screen (header, questions, participants, footer) is hidden.
      for (const id of ['session-title', 'questions-panel', 'participant-list', 'open-help'])
        expect(await page.locator(`[data-testid="${id}"]`).isVisible(), id).toBe(false);
      await expect.poll(() => view.locator('[data-testid="presentation-average"]').innerText()).toBe('4.00');
      await expectNoA11yViolations(page, `speaker presentation view (${lang})`);
      await docsScreenshot(page, `speaker-presentation-${lang}`);
      await page.keyboard.press('Escape');
      await view.waitFor({ state: 'detached' });
      await page.locator('[data-testid="session-title"]').waitFor();
      // F11 toggles too.
      await page.keyboard.press('F11');
      await view.waitFor();
      await page.keyboard.press('F11');
      await view.waitFor({ state: 'detached' });
      // A while live asks (new tab or here) instead of leaving the session.
      await page.keyboard.press('a');
      await page.locator('[data-testid="archive-open-dialog"][open]').waitFor();
      expect(new URL(page.url()).pathname).toMatch(/^\/host\//);
      await page.keyboard.press('Escape');
      await page.locator('[data-testid="archive-open-dialog"][open]').waitFor({ state: 'detached' });
      // Ended here: the header turns to the final figures at once, the actions go.
      await page.click('[data-testid="end-session"]');
      await page.click('[data-testid="end-confirm-ok"]');
      await page.locator('[data-testid="session-status"][data-status="ended"]').waitFor();
      expect(await page.locator('[data-testid="participant-count"]').innerText()).toBe('1');
      expect(await page.locator('[data-testid="current-average"]').innerText()).toBe('4.00');
      expect(await page.locator('[data-testid="mean-average"]').innerText()).toBe('4.00');
      expect(await page.locator('[data-testid="elapsed"]').innerText()).toMatch(/^0:\d\d$/);
      // The graph spans this session (under a minute), not the live screen's minimum of 60 s.
      const elapsedS = Number((await page.locator('[data-testid="elapsed"]').innerText()).split(':')[1]);
      const graph = page.locator('[data-testid="understanding-graph"] .uplot');
      await expect
        .poll(async () => Math.abs(Number(await graph.getAttribute('data-x-max')) - elapsedS))
        .toBeLessThanOrEqual(1);
      expect(await page.locator('[data-testid="record-button"]').count()).toBe(0);
      expect(await page.locator('[data-testid="open-settings"]').isDisabled()).toBe(true);
      await page.locator('[data-testid="session-ended-note"]').waitFor();
      await expectNoA11yViolations(page, `speaker ended here (${lang})`);
      await docsScreenshot(page, `speaker-ended-${lang}`);
      expect(errors).toEqual([]);
      await listener.context().close();
      await page.context().close();
    });
  }

  it('at 1280×800 the warning leaves the questions in view; the pinned question tops the listener’s screen', async () => {
    const { page, code } = await liveSession(
      { warning: { enabled: true, threshold: 2.5, durationSec: 1 } },
      'en-US',
      { width: 1280, height: 800 },
    );
    const ana = await joinAs(browser, t.url, 'Ana', code);
    await ana.keyboard.press('1');
    await ana.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await ana.keyboard.press('q');
    await ana.locator('[data-testid="question-input"]').fill('Could you show the last slide again?');
    await ana.keyboard.press('Enter');
    await page.locator('[data-testid="warning-banner"]').waitFor({ timeout: 15_000 });
    const item = page.locator('[data-testid="questions-panel"] [data-testid="question-item"]').first();
    await item.waitFor();
    // The first question can be read: on screen, above the sticky footer.
    await docsScreenshot(page, 'speaker-warning-1280');
    const qBox = (await item.locator('[data-testid="question-content"]').boundingBox())!;
    const footer = (await page.locator('footer').boundingBox())!;
    expect(qBox.y).toBeGreaterThan(0);
    expect(qBox.y + qBox.height).toBeLessThanOrEqual(footer.y);
    // Pinned by the speaker: the listener sees it at the top, above the level buttons.
    await item.locator('[data-testid="question-pin"]').click();
    const pinned = ana.locator('[data-testid="pinned-question"]');
    await pinned.waitFor();
    expect(await pinned.innerText()).toContain('Could you show the last slide again?');
    const pinBox = (await pinned.boundingBox())!;
    const buttons = (await ana.locator('[data-testid="level-button-3"]').boundingBox())!;
    expect(pinBox.y + pinBox.height).toBeLessThanOrEqual(buttons.y);
    expect(pinBox.y).toBeLessThan(844);
    await expectNoA11yViolations(ana, 'listener with a pinned question');
    await item.locator('[data-testid="question-pin"]').click();
    await pinned.waitFor({ state: 'detached' });
    await ana.context().close();
    await page.context().close();
  });

  for (const [lang, locale] of LANGS) {
    it(`the create form names each refused value, its own checks and the server's (${lang})`, async () => {
      const host = await speaker(t.url);
      const page = await signIn(host.email, 'correct-horse-1', locale);
      await page.goto(`${t.url}/new`);
      await page.click('[data-testid="mode-presentation"]');
      await page.click('[data-testid="create-next"]');
      await page.click('[data-testid="presenter-me"]');
      await page.click('[data-testid="create-next"]');
      const submit = page.locator('[data-testid="create-submit"]');
      const why = page.locator('[data-testid="create-why-disabled"]');
      expect(await why.innerText()).toBe(
        lang === 'en' ? 'Create is off until the session has a title.' : 'タイトルを入力すると作成できます。',
      );
      await page.fill('[data-testid="create-title"]', 'Form checks');
      await expect.poll(() => submit.isEnabled()).toBe(true);
      const duration = page.locator('[data-field="settings.warning.durationSec"]');
      await duration.fill('-3');
      await duration.blur();
      // Kept as typed, marked, said why; Create off and says why.
      expect(await duration.inputValue()).toBe('-3');
      expect(await duration.getAttribute('aria-invalid')).toBe('true');
      const err = page.locator(`#${await duration.getAttribute('aria-describedby')}`);
      expect(await err.innerText()).toBe(
        lang === 'en' ? 'Enter a whole number from 1 to 600.' : '1〜600の整数を入力してください。',
      );
      expect(await submit.isDisabled()).toBe(true);
      expect(await why.innerText()).toBe(
        lang === 'en' ? 'Correct the marked fields first.' : '印の付いた項目を先に直してください。',
      );
      const threshold = page.locator('[data-field="settings.warning.threshold"]');
      await threshold.fill('7');
      expect(await page.locator('[data-testid="field-error"]').count()).toBe(2);
      const minutes = page.locator('[data-field="settings.plannedDurationMin"]');
      await minutes.fill('0');
      expect(await page.locator('[data-testid="field-error"]').count()).toBe(3);
      await expectNoA11yViolations(page, `create form with refused values (${lang})`);
      await docsScreenshot(page, `create-field-errors-${lang}`);
      await duration.fill('20');
      await threshold.fill('2.5');
      await minutes.fill('45');
      await expect.poll(() => submit.isEnabled()).toBe(true);
      expect(await page.locator('[data-testid="field-error"]').count()).toBe(0);
      // The server's own check: a value changed on the way is refused and named beside its field.
      await page.route('**/api/sessions', async (route) => {
        const body = JSON.parse(route.request().postData() ?? '{}') as {
          settings: { warning: { threshold: number } };
        };
        body.settings.warning.threshold = 7;
        await route.continue({ postData: JSON.stringify(body) });
      });
      await submit.click();
      await expect.poll(() => threshold.getAttribute('aria-invalid')).toBe('true');
      const serverErr = page.locator(`#${await threshold.getAttribute('aria-describedby')}`);
      expect(await serverErr.innerText()).toBe(
        lang === 'en' ? 'Enter a number from 1 to 5.' : '1〜5の数値を入力してください。',
      );
      expect(new URL(page.url()).pathname).toBe('/new');
      await page.unroute('**/api/sessions');
      // Editing the field clears the server's message; the session is then created as typed.
      await threshold.fill('3');
      await expect.poll(() => threshold.getAttribute('aria-invalid')).toBe(null);
      await submit.click();
      await page.waitForURL(/\/host\/[0-9a-f-]{36}$/);
      const id = new URL(page.url()).pathname.split('/').pop()!;
      const s = await api<{
        settings: { plannedDurationMin: number; warning: { threshold: number; durationSec: number } };
      }>(t.url, 'GET', `/api/sessions/${id}`, { token: host.token });
      expect([
        s.body.settings.plannedDurationMin,
        s.body.settings.warning.threshold,
        s.body.settings.warning.durationSec,
      ]).toEqual([45, 3, 20]);
      await page.context().close();
    });
  }

  it('says the graph is partial while its updates say degraded (Redis killed), and stops saying so once it is back', async () => {
    const { page, code } = await liveSession();
    const errors = trackErrors(page);
    const ana = await joinAs(browser, t.url, 'Ana', code);
    await ana.keyboard.press('4');
    await expect
      .poll(() => page.locator('[data-testid="current-average"]').innerText(), { timeout: 10_000 })
      .toBe('4.00');
    expect(await page.locator('[data-testid="degraded-notice"]').count()).toBe(0);
    await redis.kill();
    const notice = page.locator('[data-testid="degraded-notice"]');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await notice.innerText()).toContain('Partial graph');
    expect(await page.locator('[data-testid="understanding-graph"]').getAttribute('aria-label')).toContain(
      '(Partial graph)',
    );
    await expectNoA11yViolations(page, 'speaker, partial graph');
    await docsScreenshot(page, 'speaker-degraded-en');
    await redis.start();
    await notice.waitFor({ state: 'detached', timeout: 20_000 });
    expect(errors).toEqual([]);
    await ana.context().close();
    await page.context().close();
  });
});
